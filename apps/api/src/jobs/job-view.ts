import type { Job, NewJobRow } from "@jobstream/db";

/** The job as `GET /v1/jobs/:id` shows it (fixed interface): no Redis ids, hashes or stacks. */
export interface JobView {
  readonly id: string;
  readonly type: string;
  readonly subtype: string | null;
  readonly name: string;
  readonly status: string;
  readonly priority: number;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly progress: { readonly percent: number; readonly message: string | null; readonly step: string | null };
  readonly items: { readonly total: number; readonly processed: number; readonly failed: number; readonly skipped: number };
  readonly input: unknown;
  readonly output: unknown;
  readonly error: { readonly code: string; readonly message: string } | null;
  readonly parentId: string | null;
  readonly groupId: string | null;
  readonly metadata: unknown;
  readonly createdAt: string;
  readonly queuedAt: string | null;
  readonly startedAt: string | null;
  readonly completedAt: string | null;
  readonly cancelledAt: string | null;
  readonly durationMs: number | null;
  readonly expiresAt: string;
}

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

export function toJobView(job: Job): JobView {
  return {
    id: job.id,
    type: job.type,
    subtype: job.subtype,
    name: job.name,
    status: job.status,
    priority: job.priority,
    attempts: job.attempts,
    maxAttempts: job.maxAttempts,
    progress: { percent: Number(job.progressPercent), message: job.progressMessage, step: job.currentStep },
    items: { total: job.totalItems, processed: job.processedItems, failed: job.failedItems, skipped: job.skippedItems },
    input: job.input,
    output: job.output,
    error: job.errorCode === null ? null : { code: job.errorCode, message: job.errorMessage ?? "" },
    parentId: job.parentId,
    groupId: job.groupId,
    metadata: job.metadata,
    createdAt: job.createdAt.toISOString(),
    queuedAt: iso(job.queuedAt),
    startedAt: iso(job.startedAt),
    completedAt: iso(job.completedAt),
    cancelledAt: iso(job.cancelledAt),
    durationMs: job.durationMs,
    expiresAt: job.expiresAt.toISOString(),
  };
}

/** The view of a job just stored by this request, built without reading it back. */
export function newJobView(row: NewJobRow, status: string, queuedAt: Date | null): JobView {
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
    metadata: row.metadata,
    createdAt: row.createdAt.toISOString(),
    queuedAt: iso(queuedAt),
    startedAt: null,
    completedAt: null,
    cancelledAt: null,
    durationMs: null,
    expiresAt: row.expiresAt.toISOString(),
  };
}
