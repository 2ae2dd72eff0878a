import type { JobsOptions } from "bullmq";
import type { DispatchableJob } from "@jobstream/db";
import { PRIORITY_MAX, type JobDefaults } from "@jobstream/job-types";
import { storedOptionsSchema, type QueuedJobData } from "./job-data";

/**
 * A job as its Postgres row holds it. Enqueue, retry, the outbox and the reconciler all pass a row
 * (new, reopened or read back), so the same job always gets the same BullMQ job; `attempts` are
 * those already started, and the new BullMQ job counts on from there.
 */
export type JobSpecSource = Pick<
  DispatchableJob,
  "id" | "orgId" | "type" | "subtype" | "input" | "priority" | "attempts" | "maxAttempts" | "options" | "runAt"
> & { readonly parentId?: string | null };

/** What `Queue.addBulk` takes, plus the queue it goes to. */
export interface JobSpec {
  readonly queue: string;
  readonly name: string;
  readonly data: QueuedJobData;
  readonly opts: JobsOptions;
}

/**
 * How long finished jobs stay in Redis (BullMQ's `removeOnComplete` age): long enough for the
 * reconciler to read the outcome of a job whose final event never reached Postgres, and for
 * bull-board. `KEEP_COMPLETED_SECONDS`; Postgres keeps the job either way.
 */
export const DEFAULT_KEEP_COMPLETED_SECONDS = 3600;
const KEEP_FAILED = { age: 7 * 86_400 };

/** Jobstream priority (0–100, higher first) as BullMQ's (1 highest). */
export function toBullPriority(priority: number): number {
  return PRIORITY_MAX + 1 - priority;
}

/**
 * The one place a job becomes BullMQ options. A stored option wins; a field the row lacks (a row
 * written before the field existed) takes the type's default, so a re-enqueued job behaves like a
 * new one of its type. `now` turns `runAt` into a delay. `fairPriority` is the BullMQ priority fair
 * share handed out for this add (`FairShare`, which already weighs the job's own priority); without
 * it (fair share off) the job's priority applies across every org. `keepCompletedSeconds`: see
 * `DEFAULT_KEEP_COMPLETED_SECONDS`.
 */
export function jobSpec(
  job: JobSpecSource,
  defaults: JobDefaults,
  now: number,
  fairPriority?: number,
  keepCompletedSeconds = DEFAULT_KEEP_COMPLETED_SECONDS,
): JobSpec {
  const parsed = storedOptionsSchema.safeParse(job.options);
  const stored = parsed.success ? parsed.data : {};
  const backoff = stored.backoff ?? defaults.backoff;
  return {
    queue: job.type,
    name: job.subtype ?? "",
    data: {
      type: job.type,
      subtype: job.subtype ?? "",
      input: job.input,
      orgId: job.orgId,
      attemptBase: job.attempts,
      timeoutMs: stored.timeoutMs ?? defaults.timeoutMs,
      ...(stored.onChildFailure !== undefined ? { onChildFailure: stored.onChildFailure } : {}),
    },
    opts: {
      jobId: job.id,
      priority: fairPriority ?? toBullPriority(job.priority),
      // A job whose budget is spent but that must run again (its Redis state was lost while it ran
      // its last attempt) still gets one attempt.
      attempts: Math.max(1, job.maxAttempts - job.attempts),
      backoff: { type: backoff.type, delay: backoff.delayMs },
      delay: job.runAt === null ? 0 : Math.max(0, job.runAt.getTime() - now),
      removeOnComplete: { age: keepCompletedSeconds },
      removeOnFail: KEEP_FAILED,
      // A sub-job's failure never fails or strands its parent inside BullMQ: the parent runs once every
      // child is final and applies its `onChildFailure` itself (the worker publishes that outcome, so
      // the mirror sees it like any other; BullMQ's failParentOnFailure fails it where no event is sent).
      ...(job.parentId !== undefined && job.parentId !== null ? { ignoreDependencyOnFailure: true } : {}),
      // Read by BullMQ's telemetry (bullmq-otel) in the worker: the attempt's span joins the enqueue's trace.
      ...(stored.trace === undefined ? {} : { telemetry: { metadata: JSON.stringify(stored.trace) } }),
    },
  };
}
