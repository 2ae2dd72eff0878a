import { findJobById, listJobs, readBulkProgress, saveBulkProgress, type BulkProgress, type Job } from "@jobstream/db";
import {
  announceChanges,
  cancelJob,
  deleteJob,
  JobActionConflict,
  retryJob,
  type ActionBy,
  type ActionDeps,
} from "@jobstream/queue";
import type { Handler } from "../handler-map";

export type BulkActionName = "cancel" | "retry" | "delete";

/** The single-job action a bulk job applies: the same code `POST /v1/jobs/:id/cancel|retry` runs. */
function actionOf(deps: ActionDeps, action: BulkActionName, by: ActionBy): (row: Job) => Promise<void> {
  switch (action) {
    case "cancel":
      return async (row) => void (await cancelJob(deps, row, by));
    case "retry":
      return (row) => retryJob(deps, row, by);
    case "delete":
      return (row) => deleteJob(deps, row);
  }
}

/**
 * `bulk/<action>` (POST /v1/jobs/bulk): walks the jobs its filter matches, newest first, by keyset
 * on (created_at, id), and applies the single-job action to each; the cursor is saved in Postgres
 * after every batch, so an attempt after a crash starts after the last saved batch. A job the
 * action no longer applies to (already cancelled by the crashed attempt, gone, running) answers
 * JobActionConflict and is skipped: each job is acted on, and audited (`by: "bulk:<id>"`), once.
 */
// The three subtypes share their schemas, so one handler type fits each.
export function bulkAction(deps: ActionDeps, action: BulkActionName): Handler<"bulk", BulkActionName> {
  return async (ctx) => {
    const { orgId, filter, batchSize, matched } = ctx.input;
    const scope = { orgId, userId: null };
    const listFilter = {
      ...filter,
      createdFrom: filter.createdFrom === undefined ? undefined : new Date(filter.createdFrom),
      createdTo: new Date(filter.createdTo),
    };
    const act = actionOf(deps, action, `bulk:${ctx.jobId}`);
    const saved = await readBulkProgress(deps.pool, ctx.jobId);
    let progress: Omit<BulkProgress, "after"> = saved ?? { done: 0, skipped: 0, batches: 0 };
    let after = saved?.after;
    for (;;) {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      const page = await listJobs(deps.pool, scope, listFilter, { limit: batchSize, after });
      const last = page.jobs.at(-1);
      if (last === undefined) break;
      let done = 0;
      let skipped = 0;
      const touched: string[] = [];
      for (const { id } of page.jobs) {
        const row = id === ctx.jobId ? null : await findJobById(deps.db, id);
        try {
          if (row === null) throw new JobActionConflict("gone, or the bulk job itself");
          await act(row);
          done++;
          touched.push(id);
        } catch (error) {
          if (!(error instanceof JobActionConflict)) throw error;
          skipped++;
        }
      }
      after = { createdAt: last.createdAt, id: last.id };
      progress = { done: progress.done + done, skipped: progress.skipped + skipped, batches: progress.batches + 1 };
      await saveBulkProgress(deps.pool, ctx.jobId, { after, ...progress });
      await announceChanges(deps.redis, deps.prefix, touched);
      // A deleted job takes its timeline with it: the batch's item is the audit of what was deleted.
      const audit = action === "delete" ? { deleted: touched } : {};
      ctx.item(`batch-${String(progress.batches)}`).success({ done, skipped, lastId: last.id, ...audit });
      const reached = progress.done + progress.skipped;
      ctx.progress(matched ? Math.min(100, (100 * reached) / matched) : 0, `${String(progress.done)} ${action} done`);
      if (page.next === null) break;
    }
    return progress;
  };
}
