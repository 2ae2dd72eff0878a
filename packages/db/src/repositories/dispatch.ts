import type { Queryable } from "../pg";

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

const INSERT_PENDING = `
WITH ins AS (
  INSERT INTO jobs (id, org_id, user_id, type, subtype, name, queue, idempotency_key, parent_id, group_id, priority,
                    max_attempts, input, metadata, options, access_token_hash, run_at, retention_seconds, created_at, updated_at, status,
                    request_hash, schedule_id)
  SELECT id, org_id, user_id, type, subtype, name, queue, idempotency_key, parent_id, group_id, priority,
         max_attempts, input, metadata, options, access_token_hash, run_at, retention_seconds, created_at, created_at, 'pending',
         request_hash, schedule_id
  FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::uuid[],
              $10::text[], $11::int[], $12::int[], $13::jsonb[], $14::jsonb[], $15::jsonb[], $16::text[], $17::timestamptz[],
              $18::int[], $19::timestamptz[], $20::text[],
              $21::uuid[])
    AS t(id, org_id, user_id, type, subtype, name, queue, idempotency_key, parent_id, group_id, priority,
         max_attempts, input, metadata, options, access_token_hash, run_at, retention_seconds, created_at, request_hash,
         schedule_id)
  ON CONFLICT (org_id, idempotency_key) DO NOTHING
  RETURNING id, queue, created_at
),
created AS (
  INSERT INTO job_events (job_id, type, data, created_at) SELECT id, 'created', jsonb_build_object('queue', queue), created_at FROM ins
)
SELECT id::text FROM ins`;

/**
 * Stores jobs as `pending` with their `created` events in one statement. A job whose
 * idempotency key the org already used is skipped; the returned set holds the ids inserted.
 */
export async function insertPendingJobs(db: Queryable, rows: readonly NewJobRow[]): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const { rows: inserted } = await db.query<{ id: string }>(INSERT_PENDING, [
    rows.map((r) => r.id),
    rows.map((r) => r.orgId),
    rows.map((r) => r.userId),
    rows.map((r) => r.type),
    rows.map((r) => r.subtype),
    rows.map((r) => r.name),
    rows.map((r) => r.queue),
    rows.map((r) => r.idempotencyKey),
    rows.map((r) => r.parentId),
    rows.map((r) => r.groupId),
    rows.map((r) => r.priority),
    rows.map((r) => r.maxAttempts),
    rows.map((r) => JSON.stringify(r.input)),
    rows.map((r) => JSON.stringify(r.metadata)),
    rows.map((r) => JSON.stringify(r.options)),
    rows.map((r) => r.accessTokenHash),
    rows.map((r) => r.runAt?.toISOString() ?? null),
    rows.map((r) => r.retentionSeconds),
    rows.map((r) => r.createdAt.toISOString()),
    rows.map((r) => r.requestHash ?? null),
    rows.map((r) => r.scheduleId ?? null),
  ]);
  return new Set(inserted.map((r) => r.id));
}

/** Ids of an org's jobs by idempotency key. */
export async function findIdsByIdempotencyKeys(
  db: Queryable,
  orgId: string,
  keys: readonly string[],
): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; idempotency_key: string }>(
    `SELECT id::text, idempotency_key FROM jobs WHERE org_id = $1::uuid AND idempotency_key = ANY($2::text[])`,
    [orgId, keys],
  );
  return new Map(rows.map((r) => [r.idempotency_key, r.id]));
}

/** A job found by its idempotency key: enough to decide whether the caller may have it back. */
export interface IdempotentJob {
  readonly id: string;
  readonly idempotencyKey: string;
  readonly orgId: string;
  readonly userId: string | null;
  readonly accessTokenHash: string | null;
  readonly requestHash: string | null;
}

/** An org's jobs by idempotency key, with what the idempotency decision needs. */
export async function findIdempotentJobs(
  db: Queryable,
  orgId: string,
  keys: readonly string[],
): Promise<IdempotentJob[]> {
  if (keys.length === 0) return [];
  const { rows } = await db.query<IdempotentJob>(
    `SELECT id::text, idempotency_key AS "idempotencyKey", org_id::text AS "orgId", user_id::text AS "userId",
            access_token_hash AS "accessTokenHash", request_hash AS "requestHash"
     FROM jobs WHERE org_id = $1::uuid AND idempotency_key = ANY($2::text[])`,
    [orgId, keys],
  );
  return rows;
}

/**
 * Marks jobs that reached Redis as `queued` or `delayed` (with a timeline event). Only `pending`
 * rows move: a worker may already have started the job and the mirror recorded that. Returns
 * the new version of each row that moved.
 */
export async function markDispatched(
  db: Queryable,
  jobs: readonly { readonly id: string; readonly status: "queued" | "delayed" }[],
  /** When they were added to Redis (a worker may start them before this statement runs). */
  at: Date = new Date(),
): Promise<Map<string, bigint>> {
  if (jobs.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; version: string }>(
    `WITH moved AS (
       UPDATE jobs j SET status = u.status, queued_at = $3, updated_at = now()
       FROM unnest($1::uuid[], $2::job_status[]) AS u(id, status)
       WHERE j.id = u.id AND j.status = 'pending'
       RETURNING j.id, j.status, j.version
     ),
     events AS (
       INSERT INTO job_events (job_id, type, data, created_at)
       SELECT id, (CASE WHEN status = 'delayed' THEN 'delayed' ELSE 'queued' END)::job_event_type, '{}'::jsonb, $3 FROM moved
     )
     SELECT id::text, version::text FROM moved`,
    [jobs.map((j) => j.id), jobs.map((j) => j.status), at.toISOString()],
  );
  return new Map(rows.map((r) => [r.id, BigInt(r.version)]));
}

/** What the dispatcher needs to put a stored job (back) into its queue. */
export interface DispatchableJob {
  readonly id: string;
  readonly type: string;
  readonly subtype: string;
  readonly queue: string;
  readonly status: string;
  readonly input: unknown;
  readonly priority: number;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly options: unknown;
  readonly runAt: Date | null;
  readonly lastEventSeq: number;
  readonly updatedAt: Date;
}

const DISPATCHABLE_COLUMNS = `id::text, type, subtype, queue, status::text, input, priority, attempts, max_attempts AS "maxAttempts",
  options, run_at AS "runAt", last_event_seq::float8 AS "lastEventSeq", updated_at AS "updatedAt"`;

/** The outbox: jobs stored but not (known to be) in Redis, oldest first. */
export async function findPendingJobs(db: Queryable, olderThanMs: number, limit: number): Promise<DispatchableJob[]> {
  const { rows } = await db.query<DispatchableJob>(
    `SELECT ${DISPATCHABLE_COLUMNS} FROM jobs
     WHERE status = 'pending' AND created_at < now() - make_interval(secs => $1::float8 / 1000)
     ORDER BY created_at LIMIT $2`,
    [olderThanMs, limit],
  );
  return rows;
}

/** Unfinished jobs whose row has not moved for a while: the reconciler compares them with BullMQ. */
export async function findStaleUnfinishedJobs(
  db: Queryable,
  olderThanMs: number,
  limit: number,
): Promise<DispatchableJob[]> {
  const { rows } = await db.query<DispatchableJob>(
    `SELECT ${DISPATCHABLE_COLUMNS} FROM jobs
     WHERE status IN ('queued', 'delayed', 'waiting_children', 'running')
       AND updated_at < now() - make_interval(secs => $1::float8 / 1000)
     ORDER BY updated_at LIMIT $2`,
    [olderThanMs, limit],
  );
  return rows;
}

/** Marks rows as looked at, so the reconciler walks through all of them over its rounds. */
export async function touchJobs(db: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.query(
    `UPDATE jobs SET updated_at = now() WHERE id = ANY($1::uuid[]) AND status NOT IN ('completed', 'failed', 'cancelled')`,
    [ids],
  );
}

/** Appends API- or housekeeper-side timeline events that carry no queue sequence. */
export async function appendJobEvents(
  db: Queryable,
  events: readonly { readonly jobId: string; readonly type: string; readonly data: Record<string, unknown> }[],
): Promise<void> {
  if (events.length === 0) return;
  await db.query(
    `INSERT INTO job_events (job_id, type, data)
     SELECT job_id, type, data FROM unnest($1::uuid[], $2::job_event_type[], $3::jsonb[]) AS t(job_id, type, data)
     WHERE EXISTS (SELECT 1 FROM jobs WHERE jobs.id = t.job_id)`,
    [events.map((e) => e.jobId), events.map((e) => e.type), events.map((e) => JSON.stringify(e.data))],
  );
}

/**
 * Retention: deletes up to `limit` finished jobs whose expiry passed (items and events cascade).
 * `expires_at` is null until a job finished, so an unfinished or retried job is never taken.
 */
export async function deleteExpiredJobs(db: Queryable, limit: number, dryRun = false): Promise<number> {
  const select = `SELECT id FROM jobs WHERE expires_at IS NOT NULL AND expires_at < now() AND status IN ('completed', 'failed', 'cancelled')
                  ORDER BY expires_at LIMIT $1`;
  if (dryRun) {
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${select}) s`, [limit]);
    return rows[0]?.n ?? 0;
  }
  const { rowCount } = await db.query(`DELETE FROM jobs WHERE id IN (${select} FOR UPDATE SKIP LOCKED)`, [limit]);
  return rowCount ?? 0;
}
