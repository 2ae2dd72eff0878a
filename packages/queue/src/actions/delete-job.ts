import { deleteFinishedJob, isFinalStatus, type Job } from "@jobstream/db";
import { JobActionConflict } from "./action-conflict";
import type { ActionDeps } from "./job-actions";

/**
 * Deletes a finished job before its retention ends (a bulk delete): its BullMQ copy, if one is
 * kept, then its row (items and events go with it). An unfinished job is refused: cancel it first.
 */
export async function deleteJob(deps: ActionDeps, row: Job): Promise<void> {
  if (!isFinalStatus(row.status))
    throw new JobActionConflict(`only finished jobs can be deleted (job is ${row.status})`);
  const job = await deps.producer.queue(row.type).getJob(row.id);
  if (job) await job.remove({ removeChildren: false });
  // A retry that reopened it meanwhile wins: the row stays.
  if (!(await deleteFinishedJob(deps.pool, row.id))) throw new JobActionConflict("the job is no longer finished");
}
