import { deleteExpiredJobs, maintainEventPartitions, pruneTimeseriesRollups, type Queryable } from "@jobstream/db";
import type { Handler } from "../handler-map";

/**
 * `maintenance/cleanup`: deletes expired finished jobs in batches (their items go with them), then the
 * time-series rollup rows past their retention (item `rollups`), then keeps job_events' daily
 * partitions (item `event-partitions`: days ahead created, past days no job holds any more dropped
 * whole with their events — docs/history.md).
 */
export function maintenanceCleanup(db: Queryable): Handler<"maintenance", "cleanup"> {
  return async (ctx) => {
    const { batchSize, maxBatches, dryRun } = ctx.input;
    let deleted = 0;
    let batches = 0;
    while (batches < maxBatches && !ctx.signal.aborted) {
      const n = await deleteExpiredJobs(db, batchSize, dryRun);
      batches++;
      deleted += n;
      ctx.item(`batch-${batches}`).success({ deleted: n });
      ctx.progress((100 * batches) / maxBatches, `${deleted} deleted`);
      if (n < batchSize || dryRun) break;
    }
    if (!dryRun && !ctx.signal.aborted) ctx.item("rollups").success({ deleted: await pruneTimeseriesRollups(db) });
    if (!ctx.signal.aborted) {
      const upkeep = await maintainEventPartitions(db, { createOnly: dryRun });
      ctx.logger.info(upkeep, "job_events partitions");
      ctx.item("event-partitions").success({ deleted: upkeep.dropped.length });
    }
    return { deleted, batches, dryRun };
  };
}
