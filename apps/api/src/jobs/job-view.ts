import { jobViewSchema, type JobStatusName, type JobSummary, type JobView } from "@jobstream/contract";
import type { Job, JobViewRow, NewJobRow } from "@jobstream/db";

export { jobViewSchema, type JobSummary, type JobView };

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

/** A Prisma row or a plain-SQL row (numeric progress as a Decimal or a number). */
export type JobViewSource =
  | Job
  | (Omit<JobViewRow, "progressPercent" | "status"> & { readonly progressPercent: number; readonly status: string });

/** What a summary needs of a row: any source, `input` and `output` not read. */
export type JobSummarySource = Omit<JobViewSource, "input" | "output">;

export function toJobView(job: JobViewSource): JobView {
  return { ...toJobSummary(job), input: job.input, output: job.output };
}

/** The view without `input` and `output` (lists and the all-jobs stream). */
export function toJobSummary(job: JobSummarySource): JobSummary {
  return {
    id: job.id,
    type: job.type,
    subtype: job.subtype,
    name: job.name,
    status: job.status as JobStatusName,
    priority: job.priority,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    progress: { percent: Number(job.progressPercent), message: job.progressMessage, step: job.currentStep },
    items: { total: job.totalItems, processed: job.processedItems, failed: job.failedItems, skipped: job.skippedItems },
    error: job.errorCode === null ? null : { code: job.errorCode, message: job.errorMessage ?? "" },
    parentId: job.parentId,
    groupId: job.groupId,
    scheduleId: job.scheduleId,
    metadata: job.metadata,
    createdAt: job.createdAt.toISOString(),
    queuedAt: iso(job.queuedAt),
    startedAt: iso(job.startedAt),
    completedAt: iso(job.completedAt),
    cancelledAt: iso(job.cancelledAt),
    durationMs: job.durationMs,
    expiresAt: iso(job.expiresAt),
  };
}

/** The view of a job just stored by this request, built without reading it back. */
export function newJobView(row: NewJobRow, status: JobStatusName, queuedAt: Date | null): JobView {
  return {
    id: row.id,
    type: row.type,
    subtype: row.subtype,
    name: row.name,
    status,
    priority: row.priority,
    attempts: 0,
    maxAttempts: row.maxAttempts,
    progress: { percent: 0, message: null, step: null },
    items: { total: 0, processed: 0, failed: 0, skipped: 0 },
    input: row.input,
    output: null,
    error: null,
    parentId: row.parentId,
    groupId: row.groupId,
    scheduleId: row.scheduleId ?? null,
    metadata: row.metadata,
    createdAt: row.createdAt.toISOString(),
    queuedAt: iso(queuedAt),
    startedAt: null,
    completedAt: null,
    cancelledAt: null,
    durationMs: null,
    // Set when the job reaches a final status (retention counts from the finish).
    expiresAt: null,
  };
}

/** A view cut down to its summary (what `/v1/stream` sends). */
export function summaryOf(view: JobSummary): JobSummary {
  const { input: _input, output: _output, ...summary } = view;
  return summary;
}
