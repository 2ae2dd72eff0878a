import { setScheduleNextRun, type Queryable } from "@jobstream/db";
import type { ScheduleTicks, ScheduleTiming } from "./schedule-ticks";

/** A schedule row as far as Redis cares: its timing, whether it runs, until when. */
export interface SyncableSchedule extends ScheduleTiming {
  readonly paused: boolean;
}

/** Whether a schedule should have a scheduler in Redis: not paused and not past its end. */
export function isScheduleActive(schedule: SyncableSchedule, now: number): boolean {
  return !schedule.paused && (schedule.endAt === null || schedule.endAt.getTime() > now);
}

/**
 * Makes Redis follow a schedule row just written (create, change, pause, resume), and records when
 * it fires next. Throws when Redis is unreachable: the row stands, and the housekeeper's reconcile
 * writes the scheduler once Redis is back.
 */
export async function syncSchedule(
  deps: { readonly db: Queryable; readonly ticks: ScheduleTicks },
  schedule: SyncableSchedule,
): Promise<Date | null> {
  let next: Date | null = null;
  if (isScheduleActive(schedule, Date.now())) next = await deps.ticks.upsert(schedule);
  else await deps.ticks.remove(schedule.id);
  await setScheduleNextRun(deps.db, schedule.id, next);
  return next;
}
