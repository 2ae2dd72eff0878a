/**
 * Job statuses. Non-final ones move forward as the job runs; final ones change only through
 * an explicit retry. Kept free of Prisma imports so any package can use it cheaply.
 */
export const nonFinalJobStatuses = ["pending", "queued", "delayed", "waiting_children", "running"] as const;
export const finalJobStatuses = ["completed", "failed", "cancelled"] as const;
export const jobStatuses = [...nonFinalJobStatuses, ...finalJobStatuses] as const;

export type NonFinalJobStatus = (typeof nonFinalJobStatuses)[number];
export type FinalJobStatus = (typeof finalJobStatuses)[number];
export type JobStatusName = (typeof jobStatuses)[number];

export function isFinalStatus(status: JobStatusName): status is FinalJobStatus {
  return (finalJobStatuses as readonly string[]).includes(status);
}

export function isJobStatus(value: string): value is JobStatusName {
  return (jobStatuses as readonly string[]).includes(value);
}

export const jobItemStatuses = ["pending", "success", "error", "skipped"] as const;
export type JobItemStatusName = (typeof jobItemStatuses)[number];
