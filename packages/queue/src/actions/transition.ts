import type pg from "pg";
import { applyMirrorBatch, inTransaction, type Job, type JobSnapshot, type TimelineEntry } from "@jobstream/db";
import type { EventPublisher } from "../publisher";

/**
 * Writes an API-side transition (cancel, retry) straight to Postgres, ordered with the worker's
 * events: it takes the job's next sequence number from the same Redis counter, so a late worker
 * event cannot undo it and the worker's next events apply on top of it.
 */
export async function writeTransition(
  deps: { readonly pool: pg.Pool; readonly publisher: EventPublisher },
  row: Job,
  change: Partial<JobSnapshot> & Pick<JobSnapshot, "status">,
  event: TimelineEntry,
): Promise<void> {
  const seq = await deps.publisher.reserve(row.queue, row.id, Number(row.lastEventSeq), 1);
  const snapshot: JobSnapshot = {
    attempts: row.attempts,
    progress: Number(row.progressPercent),
    message: row.progressMessage,
    step: row.currentStep,
    total: null,
    output: row.output,
    error:
      row.errorCode === null ? null : { code: row.errorCode, message: row.errorMessage ?? "", stack: row.errorStack },
    startedAt: row.startedAt?.getTime() ?? null,
    finishedAt: Date.now(),
    durationMs: row.durationMs,
    ...change,
  };
  await inTransaction(deps.pool, (client) =>
    applyMirrorBatch(client, [{ jobId: row.id, seq, snapshot, items: [], timeline: [event] }]),
  );
}
