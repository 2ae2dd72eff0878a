import type { Backoff, JobDefaults } from "@jobstream/job-types";
import { storedOptionsSchema, type OnChildFailure, type StoredOptions } from "./job-data";
import type { JobSpecSource } from "./job-spec";

/** What an enqueue request may set; the rest comes from its type's defaults. */
export interface JobOverrides {
  readonly priority?: number;
  readonly maxAttempts?: number;
  readonly backoff?: Backoff;
  readonly timeoutMs?: number;
  /** Only for a job with sub-jobs (stored with it; `fail` when absent). */
  readonly onChildFailure?: OnChildFailure;
}

/** The row fields `jobSpec` reads back, fixed once at enqueue so no later path consults defaults again. */
export interface JobOptionFields {
  readonly priority: number;
  readonly maxAttempts: number;
  readonly options: StoredOptions;
}

/** A request's overrides over its type's defaults, as stored in the new row. */
export function jobOptionsFor(request: JobOverrides, defaults: JobDefaults): JobOptionFields {
  const maxAttempts = request.maxAttempts ?? defaults.attempts;
  return {
    priority: request.priority ?? defaults.priority,
    maxAttempts,
    options: {
      backoff: request.backoff ?? defaults.backoff,
      timeoutMs: request.timeoutMs ?? defaults.timeoutMs,
      attemptsPerRun: maxAttempts,
      ...(request.onChildFailure !== undefined ? { onChildFailure: request.onChildFailure } : {}),
    },
  };
}

/**
 * The budget a retry reopens a job with: another run of as many attempts as the job was first
 * given (rows without `attemptsPerRun` predate it: their `maxAttempts` is that first budget).
 */
export function retriedMaxAttempts(row: Pick<JobSpecSource, "attempts" | "maxAttempts" | "options">): number {
  const parsed = storedOptionsSchema.safeParse(row.options);
  const perRun = (parsed.success ? parsed.data.attemptsPerRun : undefined) ?? row.maxAttempts;
  return row.attempts + perRun;
}
