import type { BackoffOptions } from "bullmq";
import type { z } from "zod";
import { toFieldIssues } from "@jobstream/job-types";
import { JobError, WaitingForChildren } from "./job-error";

/** BullMQ's `failedReason` of a cancelled job: the reconciler reads it back to tell a cancel from a failure. */
export const CANCELLED_REASON = "cancelled";

/** The attempt being decided and what happened around it while the handler ran. */
export interface AttemptFacts {
  /** This attempt's number, counted across re-enqueues (1-based). */
  readonly attempt: number;
  /** The last attempt allowed, counted the same way. */
  readonly maxAttempts: number;
  /** BullMQ's `attemptsMade` for the current enqueue: the exponential backoff grows with it, not with `attempt`. */
  readonly attemptsMade: number;
  /** Which of the handler's abort sources had fired when it settled. */
  readonly aborted: { readonly cancel: boolean; readonly shutdown: boolean; readonly timeout: boolean };
  /** The item limit's failure, if the handler went past it. */
  readonly overLimit?: JobError | undefined;
}

/** How the attempt ended, as far as the runner saw it. */
export type Settled =
  /** The input failed its schema or the kind has no handler: the handler never ran. */
  | { readonly kind: "invalid_input"; readonly message: string }
  /** The job was cancelled before the handler started. */
  | { readonly kind: "cancelled_before_start" }
  /** A flow's parent whose children are final in BullMQ but not yet all in Postgres: it waits, the handler unrun. */
  | { readonly kind: "children_unsettled" }
  /** A flow's parent under `onChildFailure: "fail"` with a child that failed or was cancelled. */
  | { readonly kind: "child_failed"; readonly childId: string; readonly message: string }
  /** The handler returned `value`, which must meet the kind's output schema (retrying would not change it). */
  | { readonly kind: "returned"; readonly value: unknown; readonly schema: z.ZodType }
  | { readonly kind: "threw"; readonly error: unknown };

export interface OutcomeOptions {
  /** The job's BullMQ backoff option, as enqueued. */
  readonly backoff: number | BackoffOptions | undefined;
  /**
   * Whether the job can be moved back to the queue (BullMQ gave the processor a lock token).
   * Without it, a shutdown abort is treated like any other failure.
   */
  readonly canHandBack: boolean;
}

/**
 * What the runner does with the attempt. `failed` and `cancelled` carry the reason BullMQ stores
 * as `failedReason`: the reconciler reads it back ("cancelled") when a job's row must be rebuilt.
 */
export type Outcome =
  | { readonly kind: "completed"; readonly output: unknown }
  /**
   * `error` is thrown to BullMQ, which schedules the next attempt with the job's backoff itself;
   * `delayMs` only tells the mirror whether the job now waits (delayed) or is due (queued).
   */
  | {
      readonly kind: "retry";
      readonly code: string;
      readonly message: string;
      readonly delayMs: number;
      readonly error: Error;
    }
  | {
      readonly kind: "failed";
      readonly code: string;
      readonly message: string;
      readonly stack: string | null;
      readonly reason: string;
    }
  | { readonly kind: "cancelled"; readonly reason: string }
  /** Shutdown: back to the queue without spending an attempt, so another worker takes it at once. */
  | { readonly kind: "handed-back" }
  /** Back to the queue after `delayMs` without spending an attempt or publishing anything (the row waits on). */
  | { readonly kind: "deferred"; readonly delayMs: number }
  /** Parked by BullMQ until its sub-jobs are final (`ctx.waitForChildren()`); the handler runs again then. */
  | { readonly kind: "waiting-children" };

/** How long a parent waits for the mirror to record its children's ends (its batches take ≤ 20 ms). */
export const CHILDREN_SETTLE_DELAY_MS = 250;

/**
 * Decides what an attempt's end means: completion, a retry after a delay, a final failure, a
 * cancellation or a hand-back. Pure, so that the whole table is unit-tested; the processor only
 * carries the answer out.
 */
export function decideOutcome(facts: AttemptFacts, settled: Settled, options: OutcomeOptions): Outcome {
  if (settled.kind === "invalid_input") {
    return { kind: "failed", code: "invalid_input", message: settled.message, stack: null, reason: "invalid_input" };
  }
  if (settled.kind === "cancelled_before_start") return { kind: "cancelled", reason: CANCELLED_REASON };
  if (settled.kind === "children_unsettled") return { kind: "deferred", delayMs: CHILDREN_SETTLE_DELAY_MS };
  // Running the parent again would meet the same failed child: only a retry of the child helps.
  if (settled.kind === "child_failed")
    return { kind: "failed", code: "child_failed", message: settled.message, stack: null, reason: "child_failed" };

  let error: unknown;
  if (settled.kind === "returned") {
    // A handler that caught the limit's error still fails: the limit is not the handler's to waive.
    if (facts.overLimit !== undefined) error = facts.overLimit;
    else {
      const output = settled.schema.safeParse(settled.value);
      // A result that arrives is a result, even if an abort fired meanwhile: the work is done.
      if (output.success) return { kind: "completed", output: output.data };
      error = new JobError("invalid_output", issuesText(output.error), { unrecoverable: true });
    }
  } else {
    if (settled.error instanceof WaitingForChildren && facts.overLimit === undefined && !facts.aborted.cancel)
      return settled.error.moved
        ? { kind: "waiting-children" }
        : { kind: "deferred", delayMs: CHILDREN_SETTLE_DELAY_MS };
    // The item limit's failure wins over whatever the handler made of it.
    error = facts.overLimit ?? settled.error;
  }

  // Why the handler's signal fired decides before what it threw: an aborted handler's error is
  // usually just the abort echoed back.
  if (facts.aborted.cancel) return { kind: "cancelled", reason: CANCELLED_REASON };
  if (facts.aborted.shutdown && options.canHandBack) return { kind: "handed-back" };
  const timedOut = !facts.aborted.shutdown && facts.aborted.timeout;
  const code = timedOut ? "timeout" : error instanceof JobError ? error.code : "handler_error";
  const message = timedOut ? "attempt timed out" : error instanceof Error ? error.message : String(error);
  if ((error instanceof JobError && error.unrecoverable) || facts.attempt >= facts.maxAttempts) {
    return {
      kind: "failed",
      code,
      message,
      stack: error instanceof Error ? (error.stack ?? null) : null,
      reason: message,
    };
  }
  const delayMs = backoffDelay(options.backoff, facts.attemptsMade);
  return { kind: "retry", code, message, delayMs, error: error instanceof Error ? error : new Error(message) };
}

/** The delay before the next attempt, as BullMQ's built-in strategies compute it (jitter aside). */
export function backoffDelay(backoff: number | BackoffOptions | undefined, attemptsMade: number): number {
  if (backoff === undefined) return 0;
  if (typeof backoff === "number") return backoff;
  const delay = backoff.delay ?? 0;
  return backoff.type === "exponential" ? delay * 2 ** attemptsMade : delay;
}

function issuesText(error: z.ZodError): string {
  return JSON.stringify(toFieldIssues(error)).slice(0, 1000);
}
