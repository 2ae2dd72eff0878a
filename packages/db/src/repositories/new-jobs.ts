import type { Queryable } from "../pg";
import { UnnestRows } from "../unnest";

/** A job as the API stores it before it reaches Redis. */
export interface NewJobRow {
  readonly id: string;
  readonly orgId: string;
  readonly userId: string | null;
  readonly type: string;
  readonly subtype: string;
  readonly name: string;
  readonly queue: string;
  readonly idempotencyKey: string | null;
  /** sha256 of the normalized request, compared when the idempotency key is sent again. */
  readonly requestHash?: string | null;
  readonly parentId: string | null;
  readonly groupId: string | null;
  /** The schedule whose tick created the job (absent: enqueued directly). */
  readonly scheduleId?: string | null;
  readonly priority: number;
  readonly maxAttempts: number;
  readonly input: unknown;
  readonly metadata: Record<string, unknown>;
  readonly options: Record<string, unknown>;
  readonly accessTokenHash: string | null;
  readonly runAt: Date | null;
  /** Kept this long after the job reaches a final status (expires_at is set then, not now). */
  readonly retentionSeconds: number;
  readonly createdAt: Date;
}

/** Where a new job goes when stored: `pending` until it reaches Redis, or where dispatching puts it. */
export type NewJobStatus = "pending" | DispatchedStatus;

const NEW_JOBS = new UnnestRows<readonly [NewJobRow, NewJobStatus]>(
  `id uuid, org_id uuid, user_id uuid, type text, subtype text, name text, queue text, idempotency_key text,
   parent_id uuid, group_id text, priority int, max_attempts int, input jsonb, metadata jsonb, options jsonb,
   access_token_hash text, run_at timestamptz, retention_seconds int, created_at timestamptz, request_hash text,
   schedule_id uuid, status job_status`,
  ([r, status]) => [
    r.id,
    r.orgId,
    r.userId,
    r.type,
    r.subtype,
    r.name,
    r.queue,
    r.idempotencyKey,
    r.parentId,
    r.groupId,
    r.priority,
    r.maxAttempts,
    JSON.stringify(r.input),
    JSON.stringify(r.metadata),
    JSON.stringify(r.options),
    r.accessTokenHash,
    r.runAt?.toISOString() ?? null,
    r.retentionSeconds,
    r.createdAt.toISOString(),
    r.requestHash ?? null,
    r.scheduleId ?? null,
    status,
  ],
);

// The `created` event of every job, then the `queued`/`delayed` event of one stored as dispatched
// (ordered so each job's events get ascending ids: the timeline sorts equal times by id).
const INSERT_JOBS = `
WITH ins AS (
  INSERT INTO jobs (${NEW_JOBS.names}, updated_at, queued_at)
  SELECT ${NEW_JOBS.names}, created_at, CASE WHEN status = 'pending' THEN NULL ELSE created_at END
  FROM ${NEW_JOBS.from(1, "t")}
  ON CONFLICT (org_id, idempotency_key) DO NOTHING
  RETURNING id, queue, type, subtype, status, created_at
),
events AS (
  INSERT INTO job_events (job_id, type, data, created_at, job_created_at)
  SELECT i.id, e.type, e.data, i.created_at, i.created_at
  FROM ins i CROSS JOIN LATERAL (VALUES
    (1, 'created'::job_event_type, jsonb_build_object('queue', i.queue)),
    (2, (CASE WHEN i.status = 'delayed' THEN 'delayed' ELSE 'queued' END)::job_event_type, '{}'::jsonb)
  ) AS e(n, type, data)
  WHERE e.n = 1 OR i.status <> 'pending'
  ORDER BY e.n
),
-- Every-org time series (GET /v1/stats/timeseries): each new job counts in its minute and its hour.
-- Rows in key order, so concurrent enqueues lock them alike.
rolled AS (
  INSERT INTO job_created_rollup AS r (width, start, type, subtype, created)
  SELECT w.width, w.start, i.type, coalesce(i.subtype, ''), count(*)
  FROM ins i CROSS JOIN LATERAL jobstream_rollup_starts(i.created_at) AS w
  GROUP BY 1, 2, 3, 4
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (width, start, type, subtype) DO UPDATE SET created = r.created + excluded.created
)
SELECT id::text FROM ins`;

/**
 * Stores jobs as `pending` with their `created` events in one statement. A job whose
 * idempotency key the org already used is skipped; the returned set holds the ids inserted.
 */
export function insertPendingJobs(db: Queryable, rows: readonly NewJobRow[]): Promise<Set<string>> {
  return insertJobs(db, rows, () => "pending");
}

/**
 * Stores jobs in one statement, each with the status `statusOf` gives: `pending`, or already
 * `queued`/`delayed`/`waiting_children` (with `queued_at` and its timeline event) when the caller
 * adds them to Redis next — one row version fewer per job than storing `pending` and moving it
 * (`markDispatched`). A caller whose add fails moves them back (`revertToPending`); one that dies
 * first leaves rows the reconciler finds missing from BullMQ and adds again. Idempotency-key
 * duplicates are skipped; the returned set holds the ids inserted.
 */
export async function insertJobs(
  db: Queryable,
  rows: readonly NewJobRow[],
  statusOf: (row: NewJobRow) => NewJobStatus,
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const { rows: inserted } = await db.query<{ id: string }>(
    INSERT_JOBS,
    NEW_JOBS.params(rows.map((r) => [r, statusOf(r)] as const)),
  );
  return new Set(inserted.map((r) => r.id));
}

/**
 * Moves jobs stored as dispatched (`insertJobs`) whose add to Redis failed back to `pending`, for
 * the outbox, and drops the `queued`/`delayed` event that announced it: the outbox writes its own.
 * A row a worker already moved on stays. Returns the new version of each row that moved.
 */
export async function revertToPending(db: Queryable, ids: readonly string[]): Promise<Map<string, bigint>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; version: string }>(
    `WITH back AS (
       UPDATE jobs SET status = 'pending', queued_at = NULL, updated_at = now()
       WHERE id = ANY($1::uuid[]) AND status IN ('queued', 'delayed', 'waiting_children')
       RETURNING id, version, created_at
     ),
     dropped AS (
       DELETE FROM job_events e USING back b
       WHERE e.job_id = b.id AND e.job_created_at = b.created_at AND e.seq IS NULL
         AND e.type IN ('queued', 'delayed')
     )
     SELECT id::text, version::text FROM back`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, BigInt(r.version)]));
}

/** Where a job is once in Redis: a flow's parent waits for its children. */
export type DispatchedStatus = "queued" | "delayed" | "waiting_children";

/**
 * Marks jobs that reached Redis as `queued`, `delayed` or `waiting_children` (with a timeline event). Only `pending`
 * rows move: a worker may already have started the job and the mirror recorded that. Returns
 * the new version of each row that moved.
 */
export async function markDispatched(
  db: Queryable,
  jobs: readonly { readonly id: string; readonly status: DispatchedStatus }[],
  /** When they were added to Redis (a worker may start them before this statement runs). */
  at: Date = new Date(),
): Promise<Map<string, bigint>> {
  if (jobs.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; version: string }>(
    `WITH moved AS (
       UPDATE jobs j SET status = u.status, queued_at = $3, updated_at = now()
       FROM unnest($1::uuid[], $2::job_status[]) AS u(id, status)
       WHERE j.id = u.id AND j.status = 'pending'
       RETURNING j.id, j.status, j.version, j.created_at
     ),
     events AS (
       INSERT INTO job_events (job_id, type, data, created_at, job_created_at)
       SELECT id, (CASE WHEN status = 'delayed' THEN 'delayed' ELSE 'queued' END)::job_event_type, '{}'::jsonb, $3,
              created_at
       FROM moved
     )
     SELECT id::text, version::text FROM moved`,
    [jobs.map((j) => j.id), jobs.map((j) => j.status), at.toISOString()],
  );
  return new Map(rows.map((r) => [r.id, BigInt(r.version)]));
}
