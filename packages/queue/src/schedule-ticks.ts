import { Queue, type Job, type RepeatOptions } from "bullmq";
import { isCluster, type RedisClient } from "@jobstream/runtime";
import { keysFor } from "./keys";

/**
 * The queue whose BullMQ job schedulers emit schedule ticks. No job type can be named like this
 * (`~` is reserved for Jobstream's own keys), and nothing mirrors it: a tick only enqueues the
 * schedule's job, which is an ordinary, mirrored job.
 */
export const SCHEDULES_QUEUE = "~schedules";

/** The part of a schedule row that decides when it fires. */
export interface ScheduleTiming {
  readonly id: string;
  readonly cron: string | null;
  readonly everyMs: number | null;
  readonly timezone: string;
  readonly startAt: Date | null;
  readonly endAt: Date | null;
  readonly revision: number;
}

/** What a tick job carries: the schedule, and the revision its scheduler was written for. */
export interface TickData {
  readonly scheduleId: string;
  readonly revision: number;
}

/** The one place a schedule becomes BullMQ scheduler options (as `jobSpec` is for jobs). */
export function schedulerSpec(schedule: ScheduleTiming): {
  repeat: Omit<RepeatOptions, "key">;
  template: { name: string; data: TickData; opts: Record<string, unknown> };
} {
  const timing =
    schedule.cron !== null ? { pattern: schedule.cron, tz: schedule.timezone } : { every: schedule.everyMs ?? 0 };
  return {
    repeat: {
      ...timing,
      ...(schedule.startAt ? { startDate: schedule.startAt } : {}),
      ...(schedule.endAt ? { endDate: schedule.endAt } : {}),
    },
    template: {
      name: "tick",
      data: { scheduleId: schedule.id, revision: schedule.revision },
      // A tick that failed (Postgres out) is tried again; its idempotency key keeps it to one run.
      opts: {
        attempts: 8,
        backoff: { type: "exponential", delay: 1000 },
        removeOnComplete: { count: 1000 },
        removeOnFail: { age: 7 * 86_400 },
      },
    },
  };
}

/** The time a scheduler job was due, from its id (`repeat:<schedulerId>:<millis>`); null for other ids. */
export function tickTimeOf(jobId: string | undefined): Date | null {
  const match = /^repeat:.+:(\d+)$/.exec(jobId ?? "");
  return match?.[1] === undefined ? null : new Date(Number(match[1]));
}

/** The schedulers of every schedule, in Redis: written from Postgres rows, never the other way. */
export class ScheduleTicks {
  readonly queue: Queue;

  constructor(connection: RedisClient, prefix: string, onError: (error: Error) => void) {
    const bullPrefix = keysFor(prefix, isCluster(connection)).bullPrefix(SCHEDULES_QUEUE);
    this.queue = new Queue(SCHEDULES_QUEUE, { connection, prefix: bullPrefix, streams: { events: { maxLen: 1000 } } });
    this.queue.on("error", onError);
  }

  /** Creates or replaces a schedule's scheduler; answers when it fires next (null: never, past its end). */
  async upsert(schedule: ScheduleTiming): Promise<Date | null> {
    const { repeat, template } = schedulerSpec(schedule);
    // Typed as always a job, but BullMQ answers undefined when the schedule is past its end date.
    const job = (await this.queue.upsertJobScheduler(schedule.id, repeat, template)) as Job | undefined;
    return job ? tickTimeOf(job.id) : null;
  }

  /** Removes a schedule's scheduler and its pending tick (a no-op when there is none). */
  async remove(scheduleId: string): Promise<void> {
    await this.queue.removeJobScheduler(scheduleId);
  }

  /** When a schedule's scheduler fires next, or null when Redis has no scheduler for it. */
  async next(scheduleId: string): Promise<Date | null> {
    const scheduler = await this.queue.getJobScheduler(scheduleId);
    return scheduler?.next ? new Date(scheduler.next) : null;
  }

  /** Every scheduler in Redis, by schedule id, with the revision it was written for. */
  async revisions(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const scheduler of await this.queue.getJobSchedulers(0, -1)) {
      const data = scheduler.template?.data as Partial<TickData> | undefined;
      out.set(scheduler.key, typeof data?.revision === "number" ? data.revision : -1);
    }
    return out;
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
