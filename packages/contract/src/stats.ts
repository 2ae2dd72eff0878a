import { z } from "zod";
import { countsOf, named } from "./fields";
import { jobStatuses } from "./status";

/** Jobs per type and status over a window, with their durations (`GET /v1/stats/queues`). */
export const queueStatSchema = named("QueueStat", {
  type: z.string(),
  status: z.enum(jobStatuses),
  jobs: z.number().int(),
  avgDurationMs: z.number().nullable(),
  maxDurationMs: z.number().nullable(),
});
export type QueueStatView = z.infer<typeof queueStatSchema>;

/**
 * Depths of one type's queue: BullMQ's live counts (every org sharing it) for operators and services,
 * or one org's counts from Postgres for its admins (`depthsScope`).
 */
export const queueDepthSchema = named("QueueDepth", {
  type: z.string(),
  ...countsOf(["waiting", "prioritized", "active", "delayed", "failed", "completed"]),
});
export type QueueDepth = z.infer<typeof queueDepthSchema>;

/** Whether an operator paused a queue (bull-board, or the queue controls), as Postgres recorded it. */
export const queueStateSchema = named("QueueState", {
  queue: z.string(),
  paused: z.boolean(),
  changedAt: z.iso.datetime().nullable(),
});
export type QueueStateView = z.infer<typeof queueStateSchema>;

export const queueStatsAnswerSchema = named("QueueStats", {
  window: z.string(),
  byTypeAndStatus: z.array(queueStatSchema),
  /** Null when Redis did not answer (operators and services): the Postgres part is still shown. */
  queueDepths: z.array(queueDepthSchema).nullable(),
  /** `org`: the caller's org, from Postgres; `all`: every org, from BullMQ. */
  depthsScope: z.enum(["org", "all"]),
  queueStates: z.array(queueStateSchema),
});
export type QueueStatsAnswer = z.infer<typeof queueStatsAnswerSchema>;

/** A failed job that may still be retried or needs a look (`GET /v1/stats/failed`). */
export const failedJobSchema = named("FailedJob", {
  id: z.uuid(),
  type: z.string(),
  subtype: z.string().nullable(),
  name: z.string(),
  ...countsOf(["attempts", "maxAttempts", "attemptsLeft"]),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  failedAt: z.iso.datetime().nullable(),
});

export const failedJobsAnswerSchema = named("FailedJobs", { jobs: z.array(failedJobSchema) });
export type FailedJobsAnswer = z.infer<typeof failedJobsAnswerSchema>;

/** Totals per type over a window (`GET /v1/stats/types`). */
export const typeStatSchema = named("TypeStat", {
  type: z.string(),
  ...countsOf(["total", "completed", "failed", "cancelled", "unfinished"]),
  avgDurationMs: z.number().nullable(),
  successRate: z.number().nullable(),
});

export const typeStatsAnswerSchema = named("TypeStats", { window: z.string(), types: z.array(typeStatSchema) });
export type TypeStatsAnswer = z.infer<typeof typeStatsAnswerSchema>;
