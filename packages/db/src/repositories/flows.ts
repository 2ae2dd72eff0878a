import { queryOne, type Queryable } from "../pg";
import type { JobStatusName } from "../status";

/** A sub-job as its parent's handler and the parent's run decision read it. */
export interface ChildOutcome {
  readonly id: string;
  readonly type: string;
  readonly subtype: string | null;
  readonly name: string;
  readonly status: JobStatusName;
  /** The child's output once completed, else null. */
  readonly output: unknown;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
}

/**
 * A job's children in the order they were created. The parent reads them from Postgres, not from
 * BullMQ: a flow re-created after Redis lost it holds only its unfinished children.
 */
export async function findChildOutcomes(db: Queryable, parentId: string): Promise<ChildOutcome[]> {
  const { rows } = await db.query<ChildOutcome>(
    `SELECT id::text, type, subtype, name, status::text AS status, output,
            error_code AS "errorCode", error_message AS "errorMessage"
     FROM jobs WHERE parent_id = $1 ORDER BY created_at, id`,
    [parentId],
  );
  return rows;
}

/** A parent's children at a glance: how many, by status, and their mean progress (final ones count 100). */
export interface ChildSummary {
  readonly total: number;
  readonly counts: Partial<Record<JobStatusName, number>>;
  readonly progress: number;
}

/** One status's share of a parent's children: how many, and their progress summed. */
export interface ChildStatusCount {
  readonly status: JobStatusName;
  readonly n: number;
  readonly progress: number;
}

/**
 * The per-status counts of the children of the parent rows `parentIdColumn` names (grouped by
 * `GROUP BY parent_id, status`); hot-reads.ts reads them in the same statement as the job.
 */
export const CHILD_STATUS_COUNT_COLUMNS = `status::text AS status, count(*)::int AS n,
  sum(CASE WHEN status IN ('completed', 'failed', 'cancelled') THEN 100 ELSE progress_percent END)::float8
    AS progress`;

/** Folds a parent's per-status counts into its summary; undefined when it has no children. */
export function toChildSummary(counts: readonly ChildStatusCount[]): ChildSummary | undefined {
  let total = 0;
  let progress = 0;
  const byStatus: Partial<Record<JobStatusName, number>> = {};
  for (const row of counts) {
    total += row.n;
    byStatus[row.status] = row.n;
    progress += row.progress;
  }
  return total === 0 ? undefined : { total, counts: byStatus, progress: Math.round((progress / total) * 100) / 100 };
}

/** The children summary of each of these jobs that has children (one indexed scan per parent). */
export async function summarizeChildren(
  db: Queryable,
  parentIds: readonly string[],
): Promise<Map<string, ChildSummary>> {
  if (parentIds.length === 0) return new Map();
  const { rows } = await db.query<ChildStatusCount & { parentId: string }>(
    `SELECT parent_id::text AS "parentId", ${CHILD_STATUS_COUNT_COLUMNS}
     FROM jobs WHERE parent_id = ANY($1::uuid[]) GROUP BY parent_id, status`,
    [parentIds],
  );
  const byParent = new Map<string, ChildStatusCount[]>();
  for (const row of rows) byParent.set(row.parentId, [...(byParent.get(row.parentId) ?? []), row]);
  const summaries = new Map<string, ChildSummary>();
  for (const [id, counts] of byParent) {
    const summary = toChildSummary(counts);
    if (summary !== undefined) summaries.set(id, summary);
  }
  return summaries;
}

/**
 * A job's unfinished descendants, parents before their children (the cancel cascade's order); as in
 * `findFlowDescendants`, nothing below a final sub-job.
 */
export async function findUnfinishedDescendantIds(db: Queryable, rootId: string): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `WITH RECURSIVE tree AS (
       SELECT id, 1 AS depth, created_at FROM jobs
       WHERE parent_id = $1::uuid AND status NOT IN ('completed', 'failed', 'cancelled')
       UNION
       SELECT j.id, t.depth + 1, j.created_at FROM jobs j JOIN tree t ON j.parent_id = t.id
       WHERE j.status NOT IN ('completed', 'failed', 'cancelled') AND t.depth < 100
     )
     SELECT id::text FROM tree ORDER BY depth, created_at, id`,
    [rootId],
  );
  return rows.map((r) => r.id);
}

/** The type and status of each of these jobs that exists (the reconciler looks for a sub-job's parent in its queue). */
export async function findJobStates(
  db: Queryable,
  ids: readonly string[],
): Promise<Map<string, { type: string; status: JobStatusName }>> {
  if (ids.length === 0) return new Map();
  const { rows } = await db.query<{ id: string; type: string; status: JobStatusName }>(
    `SELECT id::text, type, status::text AS status FROM jobs WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.id, { type: r.type, status: r.status }]));
}

/** Whom a job's sub-jobs belong to: they inherit its org, user and group. */
export interface FlowOwner {
  readonly orgId: string;
  readonly userId: string | null;
  readonly groupId: string | null;
  readonly type: string;
}

export function findFlowOwner(db: Queryable, id: string): Promise<FlowOwner | null> {
  return queryOne<FlowOwner>(
    db,
    `SELECT org_id::text AS "orgId", user_id::text AS "userId", group_id AS "groupId", type FROM jobs WHERE id = $1`,
    [id],
  );
}

/**
 * Records that a running job now has sub-jobs and what their failure means to it, so a re-created
 * BullMQ job (the reconciler reads `options`) checks them before its handler runs again.
 */
export async function markFlowParent(db: Queryable, id: string, onChildFailure: string): Promise<void> {
  await db.query(`UPDATE jobs SET options = options || jsonb_build_object('onChildFailure', $2::text) WHERE id = $1`, [
    id,
    onChildFailure,
  ]);
}

/**
 * Whether every child of the job is final, the last one for at least `forMs`: a parent BullMQ still
 * holds after that is stranded (it would have been released when its last child ended).
 */
export async function childrenSettledFor(db: Queryable, parentId: string, forMs: number): Promise<boolean> {
  const row = await queryOne<{ busy: number }>(
    db,
    `SELECT count(*)::int AS busy FROM jobs
     WHERE parent_id = $1 AND (status NOT IN ('completed', 'failed', 'cancelled')
       OR coalesce(completed_at, cancelled_at, updated_at) > now() - make_interval(secs => $2::float8 / 1000))`,
    [parentId, forMs],
  );
  return row?.busy === 0;
}
