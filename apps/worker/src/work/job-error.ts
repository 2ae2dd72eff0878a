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
