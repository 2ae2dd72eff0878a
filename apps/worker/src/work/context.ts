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
