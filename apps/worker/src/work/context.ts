import type { ChildOutcome } from "@jobstream/db";
import type { OnChildFailure } from "@jobstream/queue";
import type { ChildRequest } from "./spawn-children";
import type { Logger } from "@jobstream/runtime";

/** Records the outcome of one item (a product, a row, a URL…) of a job. */
export interface ItemReporter<S> {
  success(after?: S, before?: S): void;
  error(code: string, message: string): void;
  skip(reason: string): void;
}

/** What a handler gets: typed input, progress reporting, item outcomes, cancellation, a logger. */
export interface JobContext<I, S> {
  readonly jobId: string;
  readonly input: I;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly maxAttempts: number;
  /** Fires on cancel, timeout or shutdown; handlers stop promptly when it does. */
  readonly signal: AbortSignal;
  readonly logger: Logger;
  progress(percent: number, message?: string): void;
  /** Enters a named step; with declared step weights, progress moves to the step's start. */
  step(name: string): void;
  item(ref: string): ItemReporter<S>;
  /** Declares how many items the job will report. */
  setTotal(total: number): void;
  /** The job's sub-jobs (all final when a flow's parent runs) with their outputs, from Postgres. */
  children(): Promise<readonly ChildOutcome[]>;
  /**
   * Adds sub-jobs (they inherit the job's org, user and group) and returns their ids; the job must
   * then `waitForChildren()`. `onChildFailure` as at enqueue (`fail` by default).
   */
  addChildren(children: readonly ChildRequest[], options?: { onChildFailure?: OnChildFailure }): Promise<string[]>;
  /**
   * Returns at once if every sub-job is final; otherwise ends this run (it throws, let it pass) and
   * the handler runs again, from the start, once they are: it finds them in `children()` then.
   */
  waitForChildren(): Promise<void>;
}

/** Resolves after `ms`, or rejects with the signal's reason once it aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
