import { deleteExpiredJobs, pruneTimeseriesRollups, type Queryable } from "@jobstream/db";
import type { Handler } from "../handler-map";

/**
 * `maintenance/cleanup`: deletes expired finished jobs in batches (their items and events go with them),
 * then the time-series rollup rows past their retention (item `rollups`).
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
    return { deleted, batches, dryRun };
  };
}
