import { listActiveSchedules, setScheduleNextRun, type Queryable } from "@jobstream/db";
import type { ScheduleTicks } from "@jobstream/queue";

/**
 * Makes the schedulers in Redis match Postgres: every active schedule has one written for its
 * current revision (restored after Redis lost its state, or rewritten when a change never reached
 * Redis), and none exists without an active row (deleted or paused while Redis was out).
 */
export async function reconcileSchedules(deps: {
  readonly db: Queryable;
  readonly ticks: ScheduleTicks;
}): Promise<{ restored: number; removed: number }> {
  const [rows, inRedis] = await Promise.all([listActiveSchedules(deps.db), deps.ticks.revisions()]);
  let restored = 0;
  for (const row of rows) {
    if (inRedis.get(row.id) === row.revision) continue;
    await setScheduleNextRun(deps.db, row.id, await deps.ticks.upsert(row));
    restored += 1;
  }
  const active = new Set(rows.map((r) => r.id));
  let removed = 0;
  for (const id of inRedis.keys()) {
    if (active.has(id)) continue;
    await deps.ticks.remove(id);
    await setScheduleNextRun(deps.db, id, null);
    removed += 1;
  }
  return { restored, removed };
}
