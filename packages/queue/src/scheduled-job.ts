import type { z } from "zod";
import { scheduledJobViewSchema } from "@jobstream/contract";
import { backoffSchema } from "@jobstream/job-types";
import type { EnqueueRequest } from "./enqueue";

/**
 * The job a schedule enqueues at every tick, stored in `schedules.job` by the API (already
 * validated for its type) and read back by whoever processes the tick. Read back as `unknown`:
 * rows written by an older deploy must still parse, so fields are only ever added, optional.
 * The fields are the API's view of it (the contract); the back-off is held to the engine's own limits.
 */
export const scheduledJobSchema = scheduledJobViewSchema.extend({ backoff: backoffSchema.optional() });
export type ScheduledJob = z.infer<typeof scheduledJobSchema>;

/** What a schedule stores of a validated enqueue request (owner, run time and idempotency are per tick). */
export function toScheduledJob(request: EnqueueRequest): ScheduledJob {
  const job: ScheduledJob = {
    type: request.type,
    subtype: request.subtype,
    name: request.name,
    input: request.input,
    priority: request.priority,
    maxAttempts: request.maxAttempts,
    backoff: request.backoff,
    timeoutMs: request.timeoutMs,
    groupId: request.groupId ?? undefined,
    metadata: request.metadata,
    expiresInSeconds: request.expiresInSeconds,
  };
  // Absent fields stay absent in the stored JSON (and in the schedule's view).
  return Object.fromEntries(Object.entries(job).filter(([, v]) => v !== undefined)) as ScheduledJob;
}

/** The idempotency key of a tick's run: a tick retried, or seen by two workers, yields one job. */
export function scheduleRunKey(scheduleId: string, tickAt: Date): string {
  return `schedule:${scheduleId}:${tickAt.getTime()}`;
}

/** The enqueue request of one tick of a schedule. */
export function scheduledRunRequest(
  schedule: { readonly id: string; readonly orgId: string; readonly userId: string | null },
  job: ScheduledJob,
  tickAt: Date,
): EnqueueRequest {
  return {
    ...job,
    orgId: schedule.orgId,
    userId: schedule.userId,
    idempotencyKey: scheduleRunKey(schedule.id, tickAt),
    scheduleId: schedule.id,
  };
}
