import { queryOne, type Queryable } from "../pg";
import { CHILD_STATUS_COUNT_COLUMNS, toChildSummary, type ChildStatusCount, type ChildSummary } from "./flows";
import { nonFinalJobStatuses, type JobStatusName } from "../status";
import type { JobScope } from "./reads";

/**
 * What the job view and the access check need of a row, read with plain SQL: the two endpoints
 * frontends poll (`GET /v1/jobs/:id`, `GET /v1/jobs/active`) skip Prisma's query layer, which
 * cost more CPU per request than the query itself, and the columns nobody shows (options,
 * queue, idempotency key, bookkeeping) are not read at all.
 */
export interface JobViewRow {
  readonly id: string;
  /** The row's version (int8, which node-postgres reads as decimal text): what realtime streams order by. */
  readonly version: string;
  readonly orgId: string;
  readonly userId: string | null;
  readonly accessTokenHash: string | null;
  readonly type: string;
  readonly subtype: string | null;
  readonly name: string;
  readonly status: JobStatusName;
  readonly priority: number;
  readonly attempts: number;
  readonly maxAttempts: number;
  readonly progressPercent: number;
  readonly progressMessage: string | null;
  readonly currentStep: string | null;
  readonly totalItems: number;
  readonly processedItems: number;
  readonly failedItems: number;
  readonly skippedItems: number;
  readonly input: unknown;
  readonly output: unknown;
  readonly metadata: unknown;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
  readonly errorStack: string | null;
  readonly parentId: string | null;
  readonly groupId: string | null;
  readonly scheduleId: string | null;
  readonly createdAt: Date;
  readonly queuedAt: Date | null;
  readonly startedAt: Date | null;
  readonly completedAt: Date | null;
  readonly cancelledAt: Date | null;
  readonly durationMs: number | null;
  /** Null until the job reached a final status. */
  readonly expiresAt: Date | null;
}

/** A {@link JobViewRow} without `input` and `output`: what lists show. */
export type JobSummaryViewRow = Omit<JobViewRow, "input" | "output">;

/**
 * The summary's columns under their camelCase names (numeric(5,2) fits a float8 exactly enough: 2
 * decimals); `listJobs` reads them too.
 */
export const SUMMARY_COLUMNS = `id, version, org_id AS "orgId", user_id AS "userId",
  access_token_hash AS "accessTokenHash",
  type, subtype, name, status, priority, attempts, max_attempts AS "maxAttempts",
  progress_percent::float8 AS "progressPercent", progress_message AS "progressMessage", current_step AS "currentStep",
  total_items AS "totalItems", processed_items AS "processedItems", failed_items AS "failedItems",
  skipped_items AS "skippedItems",
  metadata, error_code AS "errorCode", error_message AS "errorMessage", error_stack AS "errorStack",
  parent_id AS "parentId", group_id AS "groupId", schedule_id::text AS "scheduleId", created_at AS "createdAt",
  queued_at AS "queuedAt",
  started_at AS "startedAt", completed_at AS "completedAt", cancelled_at AS "cancelledAt",
  duration_ms AS "durationMs", expires_at AS "expiresAt"`;

export const VIEW_COLUMNS = `${SUMMARY_COLUMNS}, input, output`;

// Named statements are parsed and planned once per connection, not once per request.
const BY_ID = { name: "jobstream_job_view_by_id", text: `SELECT ${VIEW_COLUMNS} FROM jobs WHERE id = $1` };

/** One job for its view and access check, or null. Callers check the id is a UUID. */
export async function findJobViewRow(db: Queryable, id: string): Promise<JobViewRow | null> {
  return queryOne<JobViewRow>(db, BY_ID, [id]);
}

// The job and its children's counts in one round trip (a probe of jobs_parent_idx when it has none).
const BY_ID_WITH_CHILDREN = {
  name: "jobstream_job_view_children_by_id",
  text: `SELECT ${VIEW_COLUMNS},
    (SELECT json_agg(c) FROM (SELECT ${CHILD_STATUS_COUNT_COLUMNS} FROM jobs WHERE parent_id = j.id GROUP BY status) c)
      AS "childCounts"
  FROM jobs j WHERE id = $1`,
};

/**
 * One job for `GET /v1/jobs/:id`, with the summary of its children when it has any, in one
 * statement; null when there is no such job. Callers check the id is a UUID.
 */
export async function findJobViewWithChildren(
  db: Queryable,
  id: string,
): Promise<{ readonly row: JobViewRow; readonly children: ChildSummary | undefined } | null> {
  const found = await queryOne<JobViewRow & { childCounts: ChildStatusCount[] | null }>(db, BY_ID_WITH_CHILDREN, [id]);
  if (found === null) return null;
  const { childCounts, ...row } = found;
  return { row, children: childCounts === null ? undefined : toChildSummary(childCounts) };
}

/**
 * One statement per scope shape, not `($1 IS NULL OR org_id = $1)`: a prepared statement may
 * switch to a generic plan, and a generic plan cannot use the scope's index for an optional
 * condition. Members are served by jobs_org_user_created_idx, admins by jobs_org_created_idx.
 */
function activeStatement(scope: JobScope): { name: string; text: string; scopeValues: string[] } {
  const conditions: string[] = [];
  const scopeValues: string[] = [];
  if (scope.orgId !== null) {
    scopeValues.push(scope.orgId);
    conditions.push(`org_id = $${scopeValues.length}`);
  }
  if (scope.userId !== null) {
    scopeValues.push(scope.userId);
    conditions.push(`user_id = $${scopeValues.length}`);
  }
  const n = scopeValues.length;
  const text = `SELECT ${SUMMARY_COLUMNS} FROM jobs
  WHERE ${[...conditions, `created_at >= $${n + 1}`].join(" AND ")}
    AND (status = ANY($${n + 2}::job_status[])
      OR (status IN ('completed', 'failed') AND completed_at >= $${n + 3})
      OR (status = 'cancelled' AND cancelled_at >= $${n + 3}))
  ORDER BY created_at DESC, id DESC
  LIMIT $${n + 4}`;
  return {
    name: `jobstream_active_summaries_${scope.orgId !== null ? "org" : "all"}${scope.userId !== null ? "_user" : ""}`,
    text,
    scopeValues,
  };
}

/**
 * "Active jobs" (`GET /v1/jobs/active` and the first states of `/v1/stream`): unfinished ones plus
 * those finished in the last `recentMinutes`, all created in the last `hours`; newest first,
 * without `input` and `output`.
 */
export async function listActiveJobs(
  db: Queryable,
  scope: JobScope,
  window: { readonly recentMinutes: number; readonly hours: number; readonly limit: number; readonly now?: Date },
): Promise<JobSummaryViewRow[]> {
  const now = window.now ?? new Date();
  const { name, text, scopeValues } = activeStatement(scope);
  const { rows } = await db.query<JobSummaryViewRow>({ name, text }, [
    ...scopeValues,
    new Date(now.getTime() - window.hours * 3_600_000),
    nonFinalJobStatuses,
    new Date(now.getTime() - window.recentMinutes * 60_000),
    window.limit,
  ]);
  return rows;
}
