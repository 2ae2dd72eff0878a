import { z } from "zod";
import { instantSchema } from "../jobs/instant";

/** The shortest interval: ticks bypass the per-org enqueue quotas, so a schedule cannot flood a queue. */
export const MIN_EVERY_MS = 1000;
/** `every_ms` is a Postgres integer; longer periods are what cron patterns are for. */
const MAX_EVERY_MS = 2_147_483_647;

const fields = {
  name: z.string().trim().min(1).max(200),
  /** 5 fields (minute precision) or 6 (with seconds), read in `timezone`. */
  cron: z.string().trim().min(1).max(200),
  everyMs: z.number().int().min(MIN_EVERY_MS).max(MAX_EVERY_MS),
  /** IANA zone of the cron pattern (default UTC). */
  timezone: z.string().min(1).max(100),
  /** A `POST /v1/jobs` body, validated for its type; without idempotencyKey, runAt, delayMs, parentId. */
  job: z.unknown(),
  startAt: instantSchema(),
  endAt: instantSchema(),
  paused: z.boolean(),
};

/** Body of `POST /v1/schedules`; which of cron/everyMs, and the timing itself, are checked after parsing. */
export const createScheduleBodySchema = z
  .object({
    name: fields.name,
    cron: fields.cron.optional(),
    everyMs: fields.everyMs.optional(),
    timezone: fields.timezone.optional(),
    job: fields.job,
    startAt: fields.startAt.optional(),
    endAt: fields.endAt.optional(),
    paused: fields.paused.optional(),
  })
  .strict();
export type CreateScheduleBody = z.output<typeof createScheduleBodySchema>;

/**
 * Body of `PATCH /v1/schedules/:id`: any field of the create body. `cron` replaces an interval and
 * `everyMs` a pattern; null clears `startAt`/`endAt`; `job` is replaced whole.
 */
export const patchScheduleBodySchema = z
  .object({
    name: fields.name.optional(),
    cron: fields.cron.optional(),
    everyMs: fields.everyMs.optional(),
    timezone: fields.timezone.optional(),
    job: fields.job.optional(),
    startAt: fields.startAt.nullable().optional(),
    endAt: fields.endAt.nullable().optional(),
    paused: fields.paused.optional(),
  })
  .strict();
export type PatchScheduleBody = z.output<typeof patchScheduleBodySchema>;

export const scheduleIdParamsSchema = z.object({ id: z.uuid() });

export const scheduleListQuerySchema = z
  .object({
    /** Services and operators: one org's schedules. */
    orgId: z.guid().optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().min(1).max(200).optional(),
  })
  .strict();

/** Per-run fields of an enqueue body that a schedule sets itself at every tick. */
export const PER_RUN_FIELDS = ["idempotencyKey", "runAt", "delayMs", "parentId"] as const;

/** Enqueue fields a schedule's job may not carry yet: a scheduled run is one job, without sub-jobs. */
export const FLOW_FIELDS = ["children", "onChildFailure"] as const;
