import type { Queryable } from "../pg";
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

export interface ApplyResult {
  readonly jobsUpdated: number;
  readonly itemsWritten: number;
  readonly eventsInserted: number;
  /** Jobs the batch named that have no row (never stored, or already deleted): nothing of theirs applied. */
  readonly missingJobIds: readonly string[];
}

const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));
const time = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The newest snapshot per job in the batch; older ones are superseded. */
function latestSnapshots(entries: readonly MirrorEntry[]): { jobId: string; seq: number; snapshot: JobSnapshot }[] {
  const latest = new Map<string, { jobId: string; seq: number; snapshot: JobSnapshot }>();
  for (const entry of entries) {
    if (entry.snapshot === null) continue;
    const current = latest.get(entry.jobId);
    if (!current || current.seq < entry.seq)
      latest.set(entry.jobId, { jobId: entry.jobId, seq: entry.seq, snapshot: entry.snapshot });
  }
  return [...latest.values()];
}

/** One row per (job, ref): the outcome of the latest attempt, later events winning ties. */
function latestItems(entries: readonly MirrorEntry[]): { jobId: string; item: ItemOutcome }[] {
  const latest = new Map<string, { jobId: string; item: ItemOutcome }>();
  for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
    for (const item of entry.items) {
      const key = `${entry.jobId}\u0000${item.ref}`;
      const current = latest.get(key);
      if (!current || current.item.attempt <= item.attempt) latest.set(key, { jobId: entry.jobId, item });
    }
  }
  return [...latest.values()];
}

/**
 * The whole batch in one statement (one round trip, atomic without a transaction of its own):
 * items upserted with their counter deltas, each job's row updated once — its newest snapshot and
 * its counters together (a second UPDATE of the same row would write another row version and run
 * the version trigger again) — and the timeline inserted.
 * $1-$9 items, $10-$25 snapshots, $26-$30 timeline entries, $31 every job the batch names.
 */
const APPLY_BATCH = `
WITH input AS (
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::job_item_status[], $4::text[], $5::text[], $6::jsonb[], $7::jsonb[], $8::int[], $9::timestamptz[])
    AS t(job_id, ref, status, message, error_code, before_state, after_state, attempt, processed_at)
  WHERE EXISTS (SELECT 1 FROM jobs WHERE jobs.id = t.job_id)
),
old AS (
  SELECT ji.job_id, ji.ref, ji.status FROM job_items ji JOIN input i ON ji.job_id = i.job_id AND ji.ref = i.ref
),
up AS (
  INSERT INTO job_items AS ji (job_id, ref, status, message, error_code, before_state, after_state, attempt, processed_at)
  SELECT job_id, ref, status, message, error_code, before_state, after_state, attempt, processed_at FROM input
  ON CONFLICT (job_id, ref) DO UPDATE SET
    status = excluded.status, message = excluded.message, error_code = excluded.error_code,
    before_state = excluded.before_state, after_state = excluded.after_state,
    attempt = excluded.attempt, processed_at = excluded.processed_at
  WHERE ji.attempt <= excluded.attempt
    AND (ji.status, ji.message, ji.error_code, ji.before_state, ji.after_state, ji.attempt)
        IS DISTINCT FROM (excluded.status, excluded.message, excluded.error_code, excluded.before_state, excluded.after_state, excluded.attempt)
  RETURNING ji.job_id, ji.ref, ji.status
),
delta AS (
  SELECT up.job_id,
    count(*) FILTER (WHERE old.ref IS NULL)::int AS new_rows,
    sum((up.status <> 'pending')::int - coalesce((old.status <> 'pending')::int, 0))::int AS processed,
    sum((up.status = 'error')::int - coalesce((old.status = 'error')::int, 0))::int AS failed,
    sum((up.status = 'skipped')::int - coalesce((old.status = 'skipped')::int, 0))::int AS skipped
  FROM up LEFT JOIN old ON old.job_id = up.job_id AND old.ref = up.ref
  GROUP BY up.job_id
),
snapshots AS (
  SELECT * FROM unnest($10::uuid[], $11::bigint[], $12::job_status[], $13::int[], $14::numeric[], $15::text[], $16::text[], $17::int[],
                       $18::jsonb[], $19::text[], $20::text[], $21::text[], $22::timestamptz[], $23::timestamptz[], $24::int[], $25::bool[])
    AS u(id, seq, status, attempts, progress, message, step, total, output, error_code, error_message, error_stack,
         started_at, finished_at, duration_ms, reopen)
),
applied AS (
  UPDATE jobs j SET
    status = u.status,
    attempts = u.attempts,
    progress_percent = u.progress,
    progress_message = u.message,
    current_step = u.step,
    total_items = coalesce(u.total, CASE WHEN j.total_declared OR d.job_id IS NULL THEN j.total_items ELSE j.total_items + d.new_rows END),
    total_declared = j.total_declared OR u.total IS NOT NULL,
    processed_items = j.processed_items + coalesce(d.processed, 0),
    failed_items = j.failed_items + coalesce(d.failed, 0),
    skipped_items = j.skipped_items + coalesce(d.skipped, 0),
    output = CASE WHEN u.status = 'completed' THEN u.output ELSE NULL END,
    error_code = u.error_code,
    error_message = u.error_message,
    error_stack = u.error_stack,
    started_at = coalesce(u.started_at, CASE WHEN u.reopen THEN NULL ELSE j.started_at END),
    completed_at = CASE WHEN u.status IN ('completed', 'failed') THEN u.finished_at END,
    cancelled_at = CASE WHEN u.status = 'cancelled' THEN u.finished_at END,
    duration_ms = u.duration_ms,
    last_event_seq = u.seq,
    updated_at = now()
  FROM snapshots u LEFT JOIN delta d ON d.job_id = u.id
  WHERE j.id = u.id
    AND j.last_event_seq < u.seq
    AND (j.status NOT IN ('completed', 'failed', 'cancelled') OR u.reopen)
  RETURNING j.id
),
-- Counters of the jobs whose snapshot did not apply (none in the batch, or an older one).
counted AS (
  UPDATE jobs j SET
    processed_items = j.processed_items + d.processed,
    failed_items = j.failed_items + d.failed,
    skipped_items = j.skipped_items + d.skipped,
    total_items = CASE WHEN j.total_declared THEN j.total_items ELSE j.total_items + d.new_rows END
  FROM delta d
  WHERE j.id = d.job_id AND NOT EXISTS (SELECT 1 FROM applied a WHERE a.id = d.job_id)
  RETURNING 1
),
timeline AS (
  INSERT INTO job_events (job_id, type, seq, data, created_at)
  SELECT t.job_id, t.type, t.seq, t.data, t.created_at
  FROM unnest($26::uuid[], $27::job_event_type[], $28::bigint[], $29::jsonb[], $30::timestamptz[]) AS t(job_id, type, seq, data, created_at)
  WHERE EXISTS (SELECT 1 FROM jobs WHERE jobs.id = t.job_id)
  ORDER BY t.job_id, t.seq
  ON CONFLICT (job_id, seq) DO NOTHING
  RETURNING 1
)
SELECT (SELECT count(*)::int FROM up) AS written, (SELECT count(*)::int FROM applied) AS updated,
       (SELECT count(*)::int FROM timeline) AS inserted, (SELECT count(*)::int FROM counted) AS counted,
       ARRAY(SELECT m.id::text FROM unnest($31::uuid[]) AS m(id) WHERE NOT EXISTS (SELECT 1 FROM jobs WHERE jobs.id = m.id)) AS missing`;

/**
 * Applies a batch of published events in one statement. Idempotent and order-safe per job: a
 * snapshot older than the row's `last_event_seq`, an item outcome of an older attempt, or a
 * timeline entry already stored changes nothing. Atomic on its own; callers may also run it
 * inside their transaction.
 */
export async function applyMirrorBatch(db: Queryable, entries: readonly MirrorEntry[]): Promise<ApplyResult> {
  const items = latestItems(entries);
  const snapshots = latestSnapshots(entries);
  const s = snapshots.map((x) => x.snapshot);
  const timeline = entries.flatMap((entry) =>
    entry.timeline.map((t, i) => ({ jobId: entry.jobId, seq: entry.seq - entry.timeline.length + 1 + i, t })),
  );
  if (items.length === 0 && snapshots.length === 0 && timeline.length === 0)
    return { jobsUpdated: 0, itemsWritten: 0, eventsInserted: 0, missingJobIds: [] };
  const { rows } = await db.query<{ written: number; updated: number; inserted: number; missing: string[] }>(
    APPLY_BATCH,
    [
      items.map((i) => i.jobId),
      items.map((i) => i.item.ref),
      items.map((i) => i.item.status),
      items.map((i) => i.item.message),
      items.map((i) => i.item.errorCode),
      items.map((i) => json(i.item.before)),
      items.map((i) => json(i.item.after)),
      items.map((i) => i.item.attempt),
      items.map((i) => time(i.item.at)),
      snapshots.map((x) => x.jobId),
      snapshots.map((x) => x.seq),
      s.map((x) => x.status),
      s.map((x) => x.attempts),
      s.map((x) => x.progress),
      s.map((x) => x.message),
      s.map((x) => x.step),
      s.map((x) => x.total),
      s.map((x) => json(x.output)),
      s.map((x) => x.error?.code ?? null),
      s.map((x) => x.error?.message ?? null),
      s.map((x) => x.error?.stack ?? null),
      s.map((x) => time(x.startedAt)),
      s.map((x) => time(x.finishedAt)),
      s.map((x) => x.durationMs),
      s.map((x) => x.reopen === true),
      timeline.map((x) => x.jobId),
      timeline.map((x) => x.t.type),
      timeline.map((x) => x.seq),
      timeline.map((x) => JSON.stringify(x.t.data)),
      timeline.map((x) => new Date(x.t.at).toISOString()),
      [...new Set(entries.map((e) => e.jobId))],
    ],
  );
  const result = rows[0];
  return {
    jobsUpdated: result?.updated ?? 0,
    itemsWritten: result?.written ?? 0,
    eventsInserted: result?.inserted ?? 0,
    missingJobIds: result?.missing ?? [],
  };
}
