import { z } from "zod";
import { backoffSchema } from "@jobstream/job-types";

/** What a failed (or cancelled) sub-job means for its parent. */
export const onChildFailureSchema = z.enum(["fail", "ignore"]);
export type OnChildFailure = z.infer<typeof onChildFailureSchema>;

/**
 * What a BullMQ job carries. Read back as `unknown` and parsed: jobs queued by an older deploy
 * must still parse (fields are only ever added, optional or defaulted).
 */
export const queuedJobDataSchema = z.object({
  type: z.string(),
  subtype: z.string(),
  input: z.unknown(),
  /** The job's org (per-org concurrency caps); jobs queued before it existed lack it and are not capped. */
  orgId: z.string().optional(),
  /** Attempts made before this BullMQ job existed (earlier runs before a retry or re-enqueue). */
  attemptBase: z.number().int().min(0).default(0),
  /** Per-attempt time limit; jobs queued before it existed lack it and get their type's default. */
  timeoutMs: z.number().int().min(1).optional(),
  /** Set on a flow's parent: what a failed sub-job means for it (checked before its handler runs). */
  onChildFailure: onChildFailureSchema.optional(),
});
export type QueuedJobData = z.infer<typeof queuedJobDataSchema>;

/** Per-enqueue overrides stored in `jobs.options` so a re-enqueue behaves like the original. */
export const storedOptionsSchema = z.object({
  backoff: backoffSchema.optional(),
  timeoutMs: z.number().int().min(1).optional(),
  /** Attempts per run (the original `maxAttempts`); a retry grants this many more. */
  attemptsPerRun: z.number().int().min(1).optional(),
  /** A flow's parent: `fail` (default) fails it with `child_failed`, `ignore` runs it anyway. */
  onChildFailure: onChildFailureSchema.optional(),
  /** W3C trace context of the enqueue (only when tracing is on): every path that adds the job continues it. */
  trace: z.record(z.string(), z.string()).optional(),
});
export type StoredOptions = z.infer<typeof storedOptionsSchema>;
