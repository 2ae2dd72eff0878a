import type { Queryable } from "../pg";

/** A stored job as the outbox and the reconciler read it to put it (back) into its queue. */
export interface DispatchableJob {
  readonly id: string;
  readonly orgId: string;
  readonly type: string;
  /** Nullable because the column is; every row Jobstream writes has one. */
  readonly subtype: string | null;
  readonly queue: string;
  readonly status: string;
  /** The job this one is a sub-job of: a flow is dispatched from its root with its unfinished descendants. */
  readonly parentId: string | null;
  readonly input: unknown;
  readonly priority: number;
  /** Attempts started so far (0 for a new job). */
  readonly attempts: number;
  readonly maxAttempts: number;
  /** `jobs.options` as stored; `unknown` because rows of older deploys may lack fields or differ. */
  readonly options: unknown;
  readonly runAt: Date | null;
  readonly lastEventSeq: number;
  readonly updatedAt: Date;
  /** Where the job's progress stands (a repaired failure keeps it). */
  readonly progressPercent: number;
}

const DISPATCHABLE_COLUMNS = `id::text, org_id::text AS "orgId", type, subtype, queue, status::text,
  parent_id::text AS "parentId", input, priority, attempts, max_attempts AS "maxAttempts",
  options, run_at AS "runAt", last_event_seq::float8 AS "lastEventSeq", updated_at AS "updatedAt",
  progress_percent::float8 AS "progressPercent"`;

/**
 * The outbox: jobs stored but not (known to be) in Redis, oldest first. A sub-job whose parent is
 * pending too is left out: it is dispatched with its parent's flow (`findFlowDescendants`).
 */
export async function findPendingJobs(db: Queryable, olderThanMs: number, limit: number): Promise<DispatchableJob[]> {
  const { rows } = await db.query<DispatchableJob>(
    `SELECT ${DISPATCHABLE_COLUMNS} FROM jobs
     WHERE status = 'pending' AND created_at < now() - make_interval(secs => $1::float8 / 1000)
       AND NOT EXISTS (SELECT 1 FROM jobs p WHERE p.id = jobs.parent_id AND p.status = 'pending')
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
    `UPDATE jobs SET updated_at = now()
     WHERE id = ANY($1::uuid[]) AND status NOT IN ('completed', 'failed', 'cancelled')`,
    [ids],
  );
}

/**
 * The unfinished descendants of these jobs (children, their children…), the roots left out: what a
 * flow is dispatched with. A final sub-job is not (its outcome is in Postgres already), and nor is
 * anything below it.
 */
export async function findFlowDescendants(db: Queryable, rootIds: readonly string[]): Promise<DispatchableJob[]> {
  if (rootIds.length === 0) return [];
  const { rows } = await db.query<DispatchableJob>(
    `WITH RECURSIVE tree AS (
       SELECT id FROM jobs WHERE parent_id = ANY($1::uuid[]) AND status NOT IN ('completed', 'failed', 'cancelled')
       UNION
       SELECT j.id FROM jobs j JOIN tree t ON j.parent_id = t.id
       WHERE j.status NOT IN ('completed', 'failed', 'cancelled')
     )
     SELECT ${DISPATCHABLE_COLUMNS} FROM jobs WHERE id IN (SELECT id FROM tree) ORDER BY created_at, id`,
    [rootIds],
  );
  return rows;
}
