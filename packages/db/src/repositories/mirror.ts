import type { Queryable } from "../pg";
import { jsonValue, JsonRows } from "../json-rows";
import { jsonParam, timeParam, UnnestRows } from "../unnest";
import {
  mirrorBatchOf,
  type ItemUpsert,
  type JobUpdate,
  type MirrorBatch,
  type MirrorEntry,
  type TimelineInsert,
} from "./mirror-batch";

export interface ApplyResult {
  readonly jobsUpdated: number;
  readonly itemsWritten: number;
  readonly eventsInserted: number;
  /** Jobs the batch named that have no row (never stored, or already deleted): nothing of theirs applied. */
  readonly missingJobIds: readonly string[];
}

// One jsonb parameter, not one array per column: a batch carries up to tens of thousands of items.
const ITEMS = new JsonRows<ItemUpsert>(
  `job_id uuid, ref text, status job_item_status, message text, error_code text, before_state jsonb,
   after_state jsonb, attempt int, processed_at timestamptz`,
  ({ jobId, item: i }) => [
    jobId,
    i.ref,
    i.status,
    i.message,
    i.errorCode,
    jsonValue(i.before),
    jsonValue(i.after),
    i.attempt,
    i.at,
  ],
);

const JOBS = new UnnestRows<JobUpdate>(
  `id uuid, seq bigint, status job_status, attempts int, progress numeric, message text, step text, total int,
   output jsonb, error_code text, error_message text, error_stack text, started_at timestamptz,
   finished_at timestamptz, duration_ms int, reopen bool`,
  ({ jobId, seq, snapshot: s }) => [
    jobId,
    seq,
    s.status,
    s.attempts,
    s.progress,
    s.message,
    s.step,
    s.total,
    jsonParam(s.output),
    s.error?.code ?? null,
    s.error?.message ?? null,
    s.error?.stack ?? null,
    timeParam(s.startedAt),
    timeParam(s.finishedAt),
    s.durationMs,
    s.reopen === true,
  ],
);

const EVENTS = new UnnestRows<TimelineInsert>(
  `job_id uuid, type job_event_type, seq bigint, data jsonb, created_at timestamptz`,
  ({ jobId, seq, entry }) => [jobId, entry.type, seq, JSON.stringify(entry.data), timeParam(entry.at)],
);

/** Parameter positions: items, then job updates, then timeline entries, then every job the batch names. */
const JOBS_AT = 2;
const EVENTS_AT = JOBS_AT + JOBS.width;
const NAMED_AT = EVENTS_AT + EVENTS.width;

/**
 * The whole batch in one statement (one round trip, atomic without a transaction of its own):
 * items upserted with their counter deltas (new ones numbered in the order reported), each job's row
 * updated once — its newest snapshot and its counters together (a second UPDATE of the same row
 * would write another row version and run the version trigger again) — and the timeline inserted.
 */
const APPLY_BATCH = `
WITH known AS MATERIALIZED (
  -- The batch's jobs that have a row, found through the primary key: on a table of a few thousand
  -- rows the planner otherwise scans all of \`jobs\` for each of the lookups below (about 5 % of a
  -- batch at 20,000 rows, growing with the table).
  -- (With created_at: the timeline's partition key.)
  SELECT id, created_at FROM jobs WHERE id = ANY($${String(NAMED_AT)}::uuid[])
),
bases AS MATERIALIZED (
  -- Each job's highest ordinal, read once per job: read once per item, each read stepped over the
  -- rows this statement had inserted so far (invisible to it), quadratic in a job's items per batch.
  -- (Of every job the batch names: one probe of a job without items here costs less than a second
  -- parse of the items parameter to find those with.)
  SELECT k.id AS job_id, coalesce((SELECT max(o.ordinal) FROM job_items o WHERE o.job_id = k.id), 0) AS base
  FROM known k
),
input AS (
  -- A new item row takes its job's next ordinal in the order the batch reports it (gaps are fine:
  -- ordinals only order a job's items); an item already stored keeps its own.
  SELECT t.*, b.base + t.n AS ordinal
  FROM ${ITEMS.from(1, "t", "n")} JOIN bases b ON b.job_id = t.job_id
),
old AS (
  -- One index probe per item (LIMIT keeps the planner from turning it into a scan of job_items).
  SELECT i.job_id, i.ref, o.status FROM input i
  CROSS JOIN LATERAL (SELECT ji.status FROM job_items ji WHERE ji.job_id = i.job_id AND ji.ref = i.ref LIMIT 1) o
),
up AS (
  INSERT INTO job_items AS ji (${ITEMS.names}, ordinal)
  SELECT ${ITEMS.names}, ordinal FROM input
  ON CONFLICT (job_id, ref) DO UPDATE SET
    status = excluded.status, message = excluded.message, error_code = excluded.error_code,
    before_state = excluded.before_state, after_state = excluded.after_state,
    attempt = excluded.attempt, processed_at = excluded.processed_at
  WHERE ji.attempt <= excluded.attempt
    AND (ji.status, ji.message, ji.error_code, ji.before_state, ji.after_state, ji.attempt)
        IS DISTINCT FROM (excluded.status, excluded.message, excluded.error_code, excluded.before_state,
                          excluded.after_state, excluded.attempt)
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
  SELECT * FROM ${JOBS.from(JOBS_AT, "u")}
),
applied AS (
  UPDATE jobs j SET
    status = u.status,
    attempts = u.attempts,
    progress_percent = u.progress,
    progress_message = u.message,
    current_step = u.step,
    total_items = coalesce(
      u.total,
      CASE WHEN j.total_declared OR d.job_id IS NULL THEN j.total_items ELSE j.total_items + d.new_rows END
    ),
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
  WHERE j.id = u.id AND j.id = ANY($${String(NAMED_AT)}::uuid[])
    AND j.last_event_seq < u.seq
    AND (j.status NOT IN ('completed', 'failed', 'cancelled') OR u.reopen)
  RETURNING j.id, j.type, j.subtype, j.status, coalesce(j.completed_at, j.cancelled_at) AS finished_at, j.duration_ms
),
-- Every-org time series (GET /v1/stats/timeseries): each job that reached a final status here
-- counts once in its minute and its hour. Rows in key order, so concurrent batches lock them alike.
rolled AS (
  INSERT INTO job_finished_rollup AS r (width, start, type, subtype, completed, failed, cancelled, durations)
  SELECT w.width, w.start, a.type, coalesce(a.subtype, ''),
         count(*) FILTER (WHERE a.status = 'completed'), count(*) FILTER (WHERE a.status = 'failed'),
         count(*) FILTER (WHERE a.status = 'cancelled'),
         coalesce(jobstream_histogram(a.duration_ms) FILTER (WHERE a.status = 'completed'), '{}')
  FROM applied a CROSS JOIN LATERAL jobstream_rollup_starts(a.finished_at) AS w
  WHERE a.status IN ('completed', 'failed', 'cancelled') AND a.finished_at IS NOT NULL
  GROUP BY 1, 2, 3, 4
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (width, start, type, subtype) DO UPDATE SET
    completed = r.completed + excluded.completed, failed = r.failed + excluded.failed,
    cancelled = r.cancelled + excluded.cancelled, durations = jobstream_histogram_add(r.durations, excluded.durations)
),
-- Counters of the jobs whose snapshot did not apply (none in the batch, or an older one).
counted AS (
  UPDATE jobs j SET
    processed_items = j.processed_items + d.processed,
    failed_items = j.failed_items + d.failed,
    skipped_items = j.skipped_items + d.skipped,
    total_items = CASE WHEN j.total_declared THEN j.total_items ELSE j.total_items + d.new_rows END
  FROM delta d
  WHERE j.id = d.job_id AND j.id = ANY($${String(NAMED_AT)}::uuid[])
    AND NOT EXISTS (SELECT 1 FROM applied a WHERE a.id = d.job_id)
  RETURNING 1
),
timeline AS (
  -- job_created_at (the partition key) is the job's: a replayed entry meets its first copy.
  INSERT INTO job_events (job_id, type, seq, data, created_at, job_created_at)
  SELECT t.job_id, t.type, t.seq, t.data, t.created_at, known.created_at
  FROM ${EVENTS.from(EVENTS_AT, "t")} JOIN known ON known.id = t.job_id
  ORDER BY t.job_id, t.seq
  ON CONFLICT (job_id, seq, job_created_at) DO NOTHING
  RETURNING 1
)
SELECT (SELECT count(*)::int FROM up) AS written, (SELECT count(*)::int FROM applied) AS updated,
       (SELECT count(*)::int FROM timeline) AS inserted, (SELECT count(*)::int FROM counted) AS counted,
       ARRAY(
         SELECT m.id::text FROM unnest($${String(NAMED_AT)}::uuid[]) AS m(id)
         WHERE m.id NOT IN (SELECT id FROM known)
       ) AS missing`;

/** A batch's statement parameters, encoded ahead of the write (null: the batch writes nothing). */
export interface PreparedMirrorBatch {
  readonly params: readonly unknown[] | null;
}

/**
 * Folds published entries into rows and encodes them as the statement's parameters: the mirror
 * does this for the next batch while Postgres writes the current one, instead of in between.
 */
export function prepareMirrorBatch(entries: readonly MirrorEntry[]): PreparedMirrorBatch {
  return prepareRows(mirrorBatchOf(entries));
}

function prepareRows({ jobs, items, events }: MirrorBatch): PreparedMirrorBatch {
  if (jobs.length === 0 && items.length === 0 && events.length === 0) return { params: null };
  const named = new Set<string>();
  for (const rows of [jobs, items, events]) for (const row of rows) named.add(row.jobId);
  return { params: [ITEMS.param(items), ...JOBS.params(jobs), ...EVENTS.params(events), [...named]] };
}

/**
 * Writes a batch's rows in one statement. Idempotent and order-safe per job: a snapshot older than
 * the row's `last_event_seq`, an item outcome of an older attempt, or a timeline entry already
 * stored changes nothing. Atomic on its own; callers may also run it inside their transaction.
 */
export function writeMirrorBatch(db: Queryable, batch: MirrorBatch): Promise<ApplyResult> {
  return writePreparedMirrorBatch(db, prepareRows(batch));
}

/** `writeMirrorBatch` of a batch prepared earlier (`prepareMirrorBatch`). */
export async function writePreparedMirrorBatch(db: Queryable, prepared: PreparedMirrorBatch): Promise<ApplyResult> {
  if (prepared.params === null) return { jobsUpdated: 0, itemsWritten: 0, eventsInserted: 0, missingJobIds: [] };
  const { rows } = await db.query<{ written: number; updated: number; inserted: number; missing: string[] }>(
    APPLY_BATCH,
    [...prepared.params],
  );
  const result = rows[0];
  return {
    jobsUpdated: result?.updated ?? 0,
    itemsWritten: result?.written ?? 0,
    eventsInserted: result?.inserted ?? 0,
    missingJobIds: result?.missing ?? [],
  };
}

/** Applies published entries as one batch: `writeMirrorBatch` of the rows they fold into. */
export function applyMirrorBatch(db: Queryable, entries: readonly MirrorEntry[]): Promise<ApplyResult> {
  return writePreparedMirrorBatch(db, prepareMirrorBatch(entries));
}
