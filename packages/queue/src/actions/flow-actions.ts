import { findJobById, findJobStates, type Db, type DispatchableJob, type Job } from "@jobstream/db";
import { loadFlowTrees } from "../flow";
import type { Producer } from "../producer";
import type pg from "pg";

/** The chain of ancestors that failed because of this job's branch (`child_failed`), nearest first. */
export async function failedBecauseOf(db: Db, row: Job): Promise<Job[]> {
  const chain: Job[] = [];
  let current = row;
  while (current.parentId !== null) {
    const parent = await findJobById(db, current.parentId);
    if (parent?.status !== "failed" || parent.errorCode !== "child_failed") break;
    chain.push(parent);
    current = parent;
  }
  return chain;
}

/** A Prisma row as the engine's dispatch reads it. */
function dispatchable(row: Job): DispatchableJob {
  return { ...row, lastEventSeq: Number(row.lastEventSeq), progressPercent: Number(row.progressPercent) };
}

/**
 * Adds a reopened job to BullMQ with its unfinished sub-jobs from Postgres (a reopened parent with
 * the child that was retried), under its own parent when that still waits in Redis.
 */
export async function dispatchReopened(
  deps: { readonly pool: pg.Pool; readonly producer: Producer },
  row: Job,
): Promise<void> {
  let waiting: { type: string } | undefined;
  if (row.parentId !== null) {
    const parent = (await findJobStates(deps.pool, [row.parentId])).get(row.parentId);
    const job = parent === undefined ? undefined : await deps.producer.queue(parent.type).getJob(row.parentId);
    if (parent !== undefined && job !== undefined && (await job.getState()) === "waiting-children") waiting = parent;
  }
  const { nodes } = await loadFlowTrees(deps.pool, [dispatchable(row)], () => waiting);
  await deps.producer.dispatch(nodes);
}
