/** A handler failure with a stable code. `unrecoverable` failures are not retried. */
export class JobError extends Error {
  override readonly name = "JobError";
  readonly code: string;
  readonly unrecoverable: boolean;

  constructor(code: string, message: string, options: { unrecoverable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.unrecoverable = options.unrecoverable ?? false;
  }
}

/**
 * Thrown by `ctx.waitForChildren()` to end the handler's run while its sub-jobs work: `moved` when
 * BullMQ parked the job until they are final (the handler runs again then), else Postgres has not
 * recorded their ends yet and the job comes back shortly. Handlers let it pass.
 */
export class WaitingForChildren extends Error {
  override readonly name = "WaitingForChildren";

  constructor(readonly moved: boolean) {
    super(moved ? "waiting for sub-jobs" : "waiting for sub-jobs' outcomes to be recorded");
  }
}
