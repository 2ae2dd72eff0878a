import type pg from "pg";
import {
  cancelPendingJob,
  findJobById,
  findUnfinishedDescendantIds,
  isFinalStatus,
  setRetryBudget,
  type Db,
  type Job,
} from "@jobstream/db";
import { retriedMaxAttempts } from "../job-options";
import { keysFor } from "../keys";
import type { Producer } from "../producer";
import type { EventPublisher } from "../publisher";
import { isCluster, type RedisClient } from "@jobstream/runtime";
import { JobActionConflict } from "./action-conflict";
import { dispatchReopened, failedBecauseOf } from "./flow-actions";
import { writeTransition } from "./transition";

export interface ActionDeps {
  readonly db: Db;
  readonly pool: pg.Pool;
  readonly redis: RedisClient;
  readonly producer: Producer;
  readonly publisher: EventPublisher;
  readonly prefix: string;
}

/** Who asked, as the job's `cancelled`/`retried` event records it: `bulk:<id>` names a bulk job. */
export type ActionBy = "api" | "bull-board" | `bulk:${string}`;

/** A cancel request outlives the answer so a worker that picks the job up later still sees it. */
const CANCEL_FLAG_TTL_S = 86_400;

/**
 * Cancels a job (API or bull-board "clean" of an unfinished job) and its unfinished sub-jobs: a
 * pending, waiting or delayed job is removed and recorded `cancelled` at once ("done"); a running
 * one is asked to stop and its worker records the cancel ("stopping"). The answer is the job's own.
 */
export async function cancelJob(deps: ActionDeps, row: Job, by: ActionBy): Promise<"done" | "stopping"> {
  if (isFinalStatus(row.status)) throw new JobActionConflict(`job is already ${row.status}`);
  // The parent first: a child's end must not release it (BullMQ) while the cascade runs.
  const outcome = await cancelOne(deps, row, by);
  for (const id of await findUnfinishedDescendantIds(deps.pool, row.id)) {
    const child = await findJobById(deps.db, id);
    if (child !== null && !isFinalStatus(child.status)) await cancelOne(deps, child, by);
  }
  return outcome;
}

async function cancelOne(deps: ActionDeps, row: Job, by: ActionBy): Promise<"done" | "stopping"> {
  const keys = keysFor(deps.prefix, isCluster(deps.redis));
  if (row.status === "pending" && (await cancelPendingJob(deps.db, row.id, by))) {
    await deps.redis.set(keys.cancelFlag(row.id), "1", "EX", CANCEL_FLAG_TTL_S).catch(() => undefined);
    return "done";
  }
  await deps.redis.set(keys.cancelFlag(row.id), "1", "EX", CANCEL_FLAG_TTL_S);
  const job = await deps.producer.queue(row.type).getJob(row.id);
  let removed = job === undefined;
  if (job) {
    // A waiting, delayed or waiting-children job is removed (its sub-jobs are cancelled one by one,
    // running ones through their workers); a running one is locked and cannot be.
    removed = await job.remove({ removeChildren: false }).then(
      () => true,
      () => false,
    );
  }
  if (removed) {
    await writeTransition(deps, row, { status: "cancelled" }, { type: "cancelled", data: { by }, at: Date.now() });
    return "done";
  }
  // Running: whichever worker process holds it aborts its handler and records the cancel.
  await deps.redis.publish(keys.cancelChannel(), row.id);
  return "stopping";
}

/**
 * Runs a failed or cancelled job again (API or bull-board retry): Postgres reopens it first, with
 * a new attempt budget, then it is added to its queue again. Parents that failed because of it
 * (`child_failed`) reopen with it and wait for it again: retrying a failed child lets its flow go on.
 */
export async function retryJob(deps: ActionDeps, row: Job, by: ActionBy): Promise<void> {
  if (row.status !== "failed" && row.status !== "cancelled")
    throw new JobActionConflict(`only failed or cancelled jobs can be retried (job is ${row.status})`);
  const chain = [row, ...(await failedBecauseOf(deps.db, row))];
  for (const job of chain) await removeFromRedis(deps, job);
  for (const [i, job] of chain.entries()) await reopen(deps, job, by, i > 0);
  const top = chain.at(-1) ?? row;
  const reopened = await findJobById(deps.db, top.id);
  if (reopened !== null) await dispatchReopened(deps, reopened);
}

async function removeFromRedis(deps: ActionDeps, row: Job): Promise<void> {
  const existing = await deps.producer.queue(row.type).getJob(row.id);
  if (existing) {
    const removed = await existing.remove({ removeChildren: false }).then(
      () => true,
      () => false,
    );
    if (!removed) throw new JobActionConflict("the job's previous run is still stopping; try again shortly");
  }
  await deps.redis.del(keysFor(deps.prefix, isCluster(deps.redis)).cancelFlag(row.id));
}

/** Reopens a row in Postgres first: if Redis then fails, the reconciler finds the job missing and adds it. */
async function reopen(deps: ActionDeps, row: Job, by: ActionBy, parent: boolean): Promise<void> {
  const maxAttempts = retriedMaxAttempts(row);
  // A cancelled job retried before its runAt keeps its schedule, as BullMQ will (jobSpec delays it).
  const delayed = row.runAt !== null && row.runAt.getTime() > Date.now();
  await writeTransition(
    deps,
    row,
    {
      status: parent ? "waiting_children" : delayed ? "delayed" : "queued",
      progress: 0,
      message: null,
      step: null,
      output: null,
      error: null,
      startedAt: null,
      finishedAt: null,
      durationMs: null,
      reopen: true,
    },
    {
      type: "retried",
      data: by === "api" ? { attempts: row.attempts } : { attempts: row.attempts, by },
      at: Date.now(),
    },
  );
  await setRetryBudget(deps.db, row.id, { maxAttempts, queuedAt: new Date() });
}
