import { z } from "zod";
import { isoDate, rowTimes, named } from "./fields";
import { cursorPage } from "./page";

/**
 * The job a schedule enqueues at every tick, as it was validated at creation: the fields of a
 * `POST /v1/jobs` body that make sense for a recurring job (no idempotency key, run time or parent).
 */
export const scheduledJobViewSchema = named("ScheduledJob", {
  type: z.string(),
  subtype: z.string(),
  name: z.string(),
  input: z.unknown(),
  priority: z.number().int().optional(),
  maxAttempts: z.number().int().optional(),
  backoff: z.object({ type: z.enum(["fixed", "exponential"]), delayMs: z.number().int() }).optional(),
  timeoutMs: z.number().int().optional(),
  groupId: z.string().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
  expiresInSeconds: z.number().int().optional(),
});
export type ScheduledJobView = z.infer<typeof scheduledJobViewSchema>;

/** A schedule as `GET /v1/schedules/:id` shows it. Exactly one of `cron` and `everyMs` is set. */
export const scheduleViewSchema = named("Schedule", {
  id: z.uuid(),
  name: z.string(),
  cron: z.string().nullable(),
  everyMs: z.number().int().nullable(),
  /** IANA time zone the cron pattern is read in. */
  timezone: z.string(),
  job: scheduledJobViewSchema,
  startAt: isoDate.nullable(),
  endAt: isoDate.nullable(),
  paused: z.boolean(),
  /** The tick time of the latest run, and the job it created (an ordinary job with `scheduleId`). */
  lastRunAt: isoDate.nullable(),
  lastJobId: z.uuid().nullable(),
  /** When the next tick is due; null while paused, after `endAt`, or while Redis is unreachable. */
  nextRunAt: isoDate.nullable(),
  ...rowTimes,
});
export type ScheduleView = z.infer<typeof scheduleViewSchema>;

export const scheduleAnswerSchema = named("ScheduleAnswer", { schedule: scheduleViewSchema });
export type ScheduleAnswer = z.infer<typeof scheduleAnswerSchema>;

export const schedulePageSchema = cursorPage("schedules", scheduleViewSchema).meta({ id: "SchedulePage" });
export type SchedulePage = z.infer<typeof schedulePageSchema>;
