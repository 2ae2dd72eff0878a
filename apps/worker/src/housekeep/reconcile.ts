import type { Job } from "bullmq";
import {
  appendJobEvents,
  childrenSettledFor,
  findJobStates,
  findStaleUnfinishedJobs,
  touchJobs,
  type DispatchableJob,
  type Queryable,
} from "@jobstream/db";
import { loadFlowTrees, queuedJobDataSchema, type EventPublisher, type Producer } from "@jobstream/queue";
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

/** How many reconcile delays a parent's last child must have ended before the parent counts as stranded. */
const STRANDED_AFTER_ROUNDS = 10;

/**
 * A parent BullMQ still holds in waiting-children although Postgres has every child final: a child's
 * keys were lost on their own, and BullMQ would wait for it for ever. Such a parent is taken out (it
 * is then added again like a lost job, and runs against its children as Postgres has them). Removing
 * it is safe even if BullMQ releases it meanwhile: a waiting job is removed as well, an active one
 * cannot be (then nothing happens).
 */
async function strandedParent(
  deps: ReconcileDeps,
  row: DispatchableJob,
  job: Job,
  olderThanMs: number,
): Promise<boolean> {
  // Long after its last child ended: not a parent BullMQ is about to release, nor one whose lost
  // child the reconciler just added again (and which Postgres may show ended by its first run).
  if (!(await childrenSettledFor(deps.db, row.id, olderThanMs * STRANDED_AFTER_ROUNDS))) return false;
  const removed = await job.remove({ removeChildren: false }).then(
    () => true,
    () => false,
  );
  if (removed) deps.logger.warn({ jobId: row.id }, "parent waited in Redis for children Postgres has as final");
  return removed;
}

/**
 * Compares unfinished rows that have not moved for a while with BullMQ and repairs drift: a job
 * whose Redis state is gone is queued again from its stored input (a flow with its unfinished
 * sub-jobs); a job BullMQ finished whose final event never reached Postgres gets that outcome from
 * BullMQ; a parent stranded in waiting-children is released.
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
    } else if (state === "waiting-children" && (await strandedParent(deps, row, job, olderThanMs))) lost.push(row);
  }
  if (lost.length > 0) {
    requeued = await requeueLost(deps, lost);
    deps.logger.warn({ jobs: lost.length }, "re-enqueued jobs whose Redis state was gone");
  }
  await touchJobs(
    deps.db,
    rows.map((r) => r.id),
  );
  return { checked: rows.length, requeued, repaired };
}

/**
 * Adds lost jobs again from their rows. A job with unfinished sub-jobs goes back as a flow with them
 * (sub-jobs final in Postgres stay out: the parent reads their outcomes from Postgres); a sub-job
 * whose parent is lost too goes back inside its parent's flow; one whose parent still waits in Redis
 * is attached under it again, so the parent waits for it.
 */
async function requeueLost(deps: ReconcileDeps, lost: readonly DispatchableJob[]): Promise<number> {
  const lostIds = new Set(lost.map((r) => r.id));
  const parents = await findJobStates(
    deps.db,
    lost.flatMap((r) => (r.parentId === null ? [] : [r.parentId])),
  );
  const waitingParents = new Map<string, { type: string }>();
  const roots: DispatchableJob[] = [];
  for (const row of lost) {
    if (row.parentId !== null) {
      if (lostIds.has(row.parentId)) continue;
      const parent = parents.get(row.parentId);
      const job = parent === undefined ? undefined : await deps.producer.queue(parent.type).getJob(row.parentId);
      if (parent !== undefined && job !== undefined && (await job.getState()) === "waiting-children")
        waitingParents.set(row.parentId, { type: parent.type });
    }
    roots.push(row);
  }
  const { nodes, rows } = await loadFlowTrees(deps.db, roots, (parentId) => waitingParents.get(parentId));
  // Counters continue above what Postgres already applied, or the new run's events would be stale.
  for (const row of rows) await deps.publisher.reserve(row.queue, row.id, row.lastEventSeq, 0);
  // Sub-jobs still in Redis are linked to their re-created parent, not added twice (same job ids).
  await deps.producer.dispatch(nodes);
  await appendJobEvents(
    deps.db,
    rows.map((row) => ({
      jobId: row.id,
      type: "requeued",
      data: { reason: "redis_state_lost", attempts: row.attempts },
    })),
  );
  return rows.length;
}
