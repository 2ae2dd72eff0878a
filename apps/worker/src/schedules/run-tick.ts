import type { Job } from "bullmq";
import { findScheduleById, recordScheduleRun, type Queryable } from "@jobstream/db";
import {
  announceChanges,
  enqueueJobs,
  isScheduleActive,
  scheduledJobSchema,
  scheduledRunRequest,
  tickTimeOf,
  type Producer,
  type ScheduleTicks,
  type TickData,
} from "@jobstream/queue";
import type { Logger } from "@jobstream/runtime";

export interface TickDeps {
  readonly db: Queryable;
  readonly producer: Producer;
  readonly ticks: ScheduleTicks;
  readonly logger: Logger;
}

export type TickOutcome = { run: string; created: boolean } | { skipped: "gone" | "inactive" | "unreadable" };

/**
 * One tick of a schedule: its job is enqueued through the ordinary path (row first, then Redis),
 * under the idempotency key of the schedule and the tick time, so a retried tick or one handed to
 * two workers yields one job. A tick whose schedule was deleted or paused meanwhile enqueues
 * nothing and removes the scheduler (the API does too; this covers a Redis outage at that moment).
 */
export async function runTick(
  deps: TickDeps,
  job: Pick<Job<TickData>, "id" | "data" | "timestamp">,
): Promise<TickOutcome> {
  const at = tickTimeOf(job.id) ?? new Date(job.timestamp);
  const schedule = await findScheduleById(deps.db, job.data.scheduleId);
  if (!schedule || !isScheduleActive(schedule, at.getTime())) {
    // A schedule past its end, or paused, or gone, has no scheduler (removing twice is harmless).
    if (!schedule || schedule.paused) await deps.ticks.remove(job.data.scheduleId);
    return { skipped: schedule ? "inactive" : "gone" };
  }
  const stored = scheduledJobSchema.safeParse(schedule.job);
  if (!stored.success) {
    deps.logger.error({ scheduleId: schedule.id, issues: stored.error.issues }, "schedule's job does not parse");
    return { skipped: "unreadable" };
  }
  const [result] = await enqueueJobs({ db: deps.db, producer: deps.producer }, [
    scheduledRunRequest(schedule, stored.data, at),
  ]);
  if (!result) throw new Error("enqueue answered nothing");
  if (result.created) await announceChanges(deps.producer.connection, deps.producer.prefix, [result.id]);
  // BullMQ wrote the next tick before handing this one out, so the scheduler already knows it.
  const next = await deps.ticks.next(schedule.id);
  await recordScheduleRun(deps.db, schedule.id, { at, jobId: result.id, nextRunAt: next });
  return { run: result.id, created: result.created };
}
