import { ensureSchedule, SYSTEM_ORG_ID, type NewScheduleRow, type Queryable } from "@jobstream/db";

/** Fixed ids: system schedules are created once, whichever housekeeper starts first. */
export const RETENTION_SCHEDULE_ID = "00000000-0000-4000-8000-00000000e7e1";

/** The retention sweep: deletes expired finished jobs (`maintenance/cleanup`) every interval. */
export function retentionSchedule(intervalMs: number): NewScheduleRow {
  return {
    id: RETENTION_SCHEDULE_ID,
    orgId: SYSTEM_ORG_ID,
    userId: null,
    name: "Retention sweep",
    cron: null,
    everyMs: intervalMs,
    timezone: "UTC",
    job: {
      type: "maintenance",
      subtype: "cleanup",
      name: "Retention sweep",
      input: { batchSize: 1000, maxBatches: 100, dryRun: false },
    },
    startAt: null,
    endAt: null,
    paused: false,
  };
}

/**
 * Creates Jobstream's own schedules unless they exist. An existing one is left as it is, so an
 * operator's pause or change survives restarts (RETENTION_INTERVAL_MS applies when it is created).
 */
export async function ensureSystemSchedules(db: Queryable, options: { retentionIntervalMs: number }): Promise<void> {
  await ensureSchedule(db, retentionSchedule(options.retentionIntervalMs));
}
