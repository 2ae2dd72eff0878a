import type { Job } from "bullmq";
import {
  appendJobEvents,
  findStaleUnfinishedJobs,
  touchJobs,
  type DispatchableJob,
  type Queryable,
} from "@jobstream/db";
import { queuedJobDataSchema, type EventPublisher, type Producer } from "@jobstream/queue";
import type { Logger } from "@jobstream/runtime";
import { CANCELLED_REASON } from "../work/decide-outcome";

export interface ReconcileDeps {
  readonly db: Queryable;
  readonly producer: Producer;
  readonly publisher: EventPublisher;
  readonly logger: Logger;
}

export interface ReconcileResult {
  readonly checked: number;
  readonly requeued: number;
  readonly repaired: number;
}

/** The outcome BullMQ recorded, published as the job's final event (its own events were lost). */
async function repairFinished(
  deps: ReconcileDeps,
  row: DispatchableJob,
  job: Job,
  state: "completed" | "failed",
): Promise<void> {
  const data = queuedJobDataSchema.safeParse(job.data);
  const base = data.success ? data.data.attemptBase : 0;
  const finishedAt = job.finishedOn ?? Date.now();
  const startedAt = job.processedOn ?? null;
  const cancelled = state === "failed" && job.failedReason === CANCELLED_REASON;
  const status = state === "completed" ? "completed" : cancelled ? "cancelled" : "failed";
  await deps.publisher.publish(
    row.queue,
    row.id,
    {
      snapshot: {
        status,
        attempts: base + Math.max(1, job.attemptsMade),
        // A failed or cancelled job's progress stays where it stopped, as the rows last heard it.
        progress: status === "completed" ? 100 : row.progressPercent,
        message: null,
        step: null,
        total: null,
        output: status === "completed" ? (job.returnvalue as unknown) : undefined,
        error:
          status === "failed"
            ? { code: "unknown_error", message: job.failedReason || "failed", stack: job.stacktrace?.at(-1) ?? null }
            : null,
        startedAt,
        finishedAt,
        durationMs: startedAt === null ? null : Math.max(0, finishedAt - startedAt),
      },
      items: [],
      timeline: [{ type: status, data: { repaired: true }, at: finishedAt }],
    },
    row.lastEventSeq,
  );
}

/**
 * Compares unfinished rows that have not moved for a while with BullMQ and repairs drift: a job
 * whose Redis state is gone is queued again from its stored input; a job BullMQ finished whose
 * final event never reached Postgres gets that outcome from BullMQ.
 */
export async function reconcile(deps: ReconcileDeps, olderThanMs: number, limit: number): Promise<ReconcileResult> {
  const rows = await findStaleUnfinishedJobs(deps.db, olderThanMs, limit);
  let requeued = 0;
  let repaired = 0;
  const lost: DispatchableJob[] = [];
  for (const row of rows) {
    const job = await deps.producer.queue(row.type).getJob(row.id);
    if (!job) {
      lost.push(row);
      continue;
    }
    const state = await job.getState();
    if (state === "completed" || state === "failed") {
      await repairFinished(deps, row, job, state);
      repaired++;
    }
  }
  if (lost.length > 0) {
    // Counters continue above what Postgres already applied, or the new run's events would be stale.
    for (const row of lost) await deps.publisher.reserve(row.queue, row.id, row.lastEventSeq, 0);
    await deps.producer.add(lost);
    await appendJobEvents(
      deps.db,
      lost.map((row) => ({
        jobId: row.id,
        type: "requeued",
        data: { reason: "redis_state_lost", attempts: row.attempts },
      })),
    );
    requeued = lost.length;
    deps.logger.warn({ jobs: lost.length }, "re-enqueued jobs whose Redis state was gone");
  }
  await touchJobs(
    deps.db,
    rows.map((r) => r.id),
  );
  return { checked: rows.length, requeued, repaired };
}
