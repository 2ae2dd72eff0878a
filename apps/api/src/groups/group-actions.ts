import { listGroupJobs, type Job, type JobScope } from "@jobstream/db";
import { nonFinalJobStatuses, type JobStatusName } from "@jobstream/contract";
import { announceChanges, cancelJob, JobActionConflict, retryJob, type ActionDeps } from "@jobstream/queue";

const PAGE = 100;

export interface GroupActionOutcome {
  /** Jobs cancelled at once, or retried. */
  done: number;
  /** Running jobs asked to stop. */
  stopping: number;
}

/**
 * Applies a single-job action to every job of a group the scope may act on, page by page. A job
 * another request moved on meanwhile (already final, already retried) answers 409 to the
 * single-job action: it is skipped, as it no longer needs the action.
 */
async function eachJob(
  deps: ActionDeps,
  groupId: string,
  scope: JobScope,
  statuses: readonly JobStatusName[],
  act: (row: Job) => Promise<keyof GroupActionOutcome>,
): Promise<GroupActionOutcome> {
  const outcome: GroupActionOutcome = { done: 0, stopping: 0 };
  let afterId: string | null = null;
  for (;;) {
    const rows = await listGroupJobs(deps.db, groupId, scope, statuses, { afterId, limit: PAGE });
    const touched: string[] = [];
    for (const row of rows) {
      try {
        outcome[await act(row)] += 1;
        touched.push(row.id);
      } catch (error) {
        if (!(error instanceof JobActionConflict)) throw error;
      }
    }
    await announceChanges(deps.redis, deps.prefix, touched);
    afterId = rows.at(-1)?.id ?? null;
    if (rows.length < PAGE || afterId === null) return outcome;
  }
}

/** Cancels the group's unfinished jobs (as `POST /v1/jobs/:id/cancel` would, one by one). */
export function cancelGroup(deps: ActionDeps, groupId: string, scope: JobScope): Promise<GroupActionOutcome> {
  return eachJob(deps, groupId, scope, nonFinalJobStatuses, async (row) =>
    (await cancelJob(deps, row, "api")) === "done" ? "done" : "stopping",
  );
}

/** Retries the group's failed and cancelled jobs (as `POST /v1/jobs/:id/retry` would). */
export function retryGroup(deps: ActionDeps, groupId: string, scope: JobScope): Promise<GroupActionOutcome> {
  return eachJob(deps, groupId, scope, ["failed", "cancelled"], async (row) => {
    await retryJob(deps, row, "api");
    return "done";
  });
}
