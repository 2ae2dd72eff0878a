import type { JobItemStatusName, JobStatusName } from "../status";

/** The job's state after an event: later snapshots (higher seq) supersede earlier ones. */
export interface JobSnapshot {
  readonly status: JobStatusName;
  readonly attempts: number;
  readonly progress: number;
  readonly message: string | null;
  readonly step: string | null;
  /** Set when the handler declared a total with setTotal. */
  readonly total: number | null;
  readonly output?: unknown;
  readonly error: { readonly code: string; readonly message: string; readonly stack?: string | null } | null;
  readonly startedAt: number | null;
  readonly finishedAt: number | null;
  readonly durationMs: number | null;
  /** Only a retry may move a job out of a final status. */
  readonly reopen?: boolean;
}

/** The snapshot an attempt starts from: running, nothing reported yet. */
export function runningSnapshot(attempts: number, startedAt: number | null = null): JobSnapshot {
  return {
    status: "running",
    attempts,
    progress: 0,
    message: null,
    step: null,
    total: null,
    output: null,
    error: null,
    startedAt,
    finishedAt: null,
    durationMs: null,
  };
}

export interface ItemOutcome {
  readonly ref: string;
  readonly status: JobItemStatusName;
  readonly message: string | null;
  readonly errorCode: string | null;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly attempt: number;
  readonly at: number;
}

export type TimelineType =
  | "queued"
  | "delayed"
  | "started"
  | "step"
  | "retrying"
  | "stalled"
  | "requeued"
  | "completed"
  | "failed"
  | "cancelled"
  | "retried";

export interface TimelineEntry {
  readonly type: TimelineType;
  readonly data: Record<string, unknown>;
  readonly at: number;
}

/** One published event: `seq` is the job's sequence number of its last timeline entry. */
export interface MirrorEntry {
  readonly jobId: string;
  readonly seq: number;
  readonly snapshot: JobSnapshot | null;
  readonly items: readonly ItemOutcome[];
  /** Entry i carries sequence `seq - timeline.length + 1 + i`. */
  readonly timeline: readonly TimelineEntry[];
}

/** A `jobs` row to update: the job's newest snapshot in the batch, applied if newer than the row's. */
export interface JobUpdate {
  readonly jobId: string;
  readonly seq: number;
  readonly snapshot: JobSnapshot;
}

/** A `job_items` row to upsert: the outcome of the latest attempt at one ref. */
export interface ItemUpsert {
  readonly jobId: string;
  readonly item: ItemOutcome;
}

/** A `job_events` row to insert, numbered in the job's sequence. */
export interface TimelineInsert {
  readonly jobId: string;
  readonly seq: number;
  readonly entry: TimelineEntry;
}

/** What a batch of entries writes, as rows per table. */
export interface MirrorBatch {
  readonly jobs: readonly JobUpdate[];
  readonly items: readonly ItemUpsert[];
  readonly events: readonly TimelineInsert[];
}

/**
 * Folds published entries into the rows they write. One update per job (its newest snapshot: a
 * second UPDATE of the same row in one statement would not see the first) and one upsert per
 * (job, ref) (the latest attempt, later entries winning ties), so the statement never touches a
 * row twice; every timeline entry is kept with its own sequence number.
 */
export function mirrorBatchOf(entries: readonly MirrorEntry[]): MirrorBatch {
  const jobs = new Map<string, JobUpdate>();
  const items = new Map<string, ItemUpsert>();
  const events: TimelineInsert[] = [];
  for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
    const { jobId, seq, snapshot, timeline } = entry;
    if (snapshot !== null) {
      const current = jobs.get(jobId);
      if (current === undefined || current.seq < seq) jobs.set(jobId, { jobId, seq, snapshot });
    }
    for (const item of entry.items) {
      const key = `${jobId}\u0000${item.ref}`;
      const current = items.get(key);
      if (current === undefined || current.item.attempt <= item.attempt) items.set(key, { jobId, item });
    }
    timeline.forEach((t, i) => events.push({ jobId, seq: seq - timeline.length + 1 + i, entry: t }));
  }
  return { jobs: [...jobs.values()], items: [...items.values()], events };
}
