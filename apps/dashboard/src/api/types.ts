// The shapes the v1 API answers (see /openapi.json). The dashboard reads nothing else.

export const jobStatuses = ["pending", "queued", "delayed", "running", "completed", "failed", "cancelled"] as const;
export type JobStatus = (typeof jobStatuses)[number];
export const finalStatuses: readonly JobStatus[] = ["completed", "failed", "cancelled"];
export const isFinal = (status: JobStatus): boolean => finalStatuses.includes(status);

export interface JobView {
  id: string;
  type: string;
  subtype: string | null;
  name: string;
  status: JobStatus;
  priority: number;
  attempts: number;
  maxAttempts: number;
  progress: { percent: number; message: string | null; step: string | null };
  items: { total: number; processed: number; failed: number; skipped: number };
  input: unknown;
  output: unknown;
  error: { code: string; message: string; stack?: string } | null;
  parentId: string | null;
  groupId: string | null;
  metadata: unknown;
  createdAt: string;
  queuedAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  cancelledAt: string | null;
  durationMs: number | null;
  /** Null until the job finished (retention counts from the finish). */
  expiresAt: string | null;
}

/** A job in lists, the active widget and the all-jobs stream: no `input` or `output` (see the detail page). */
export type JobSummary = Omit<JobView, "input" | "output">;

export const itemStatuses = ["success", "error", "skipped"] as const;
export type ItemStatus = (typeof itemStatuses)[number];

export interface ItemView {
  ref: string;
  status: ItemStatus;
  message: string | null;
  errorCode: string | null;
  before: unknown;
  after: unknown;
  attempt: number;
  processedAt: string | null;
}

export interface EventView {
  type: string;
  data: Record<string, unknown>;
  at: string;
}

export interface Session {
  userId: string;
  orgId: string;
  role: "member" | "admin" | "operator" | "service";
  expiresAt: string;
}

export interface JobTypeInfo {
  type: string;
  subtypes: { subtype: string }[];
}

export interface TypeStat {
  type: string;
  total: number;
  completed: number;
  failed: number;
  cancelled: number;
  unfinished: number;
  successRate: number | null;
  avgDurationMs: number | null;
}

export interface QueueStat {
  type: string;
  status: JobStatus;
  jobs: number;
  avgDurationMs: number | null;
  maxDurationMs: number | null;
}

export interface QueueDepth {
  type: string;
  waiting: number;
  prioritized: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

export interface FailedJob {
  id: string;
  type: string;
  subtype: string | null;
  name: string;
  attempts: number;
  maxAttempts: number;
  attemptsLeft: number;
  error: { code: string; message: string } | null;
  failedAt: string | null;
}
