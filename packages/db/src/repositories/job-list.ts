import type { Queryable } from "../pg";
import type { JobStatusName } from "../status";
import { SUMMARY_COLUMNS, VIEW_COLUMNS, type JobSummaryViewRow, type JobViewRow } from "./hot-reads";
import { selectPage } from "./keyset";
import type { JobCursor, JobScope } from "./reads";

export interface JobListFilter {
  readonly statuses?: readonly JobStatusName[];
  readonly type?: string;
  readonly subtype?: string;
  readonly userId?: string;
  readonly groupId?: string;
  readonly parentId?: string;
  readonly scheduleId?: string;
  readonly createdFrom?: Date;
  readonly createdTo?: Date;
  /** Case-insensitive substring of the job's name (trigram index `jobs_name_trgm_idx`). */
  readonly search?: string;
  /** Jobs whose metadata contains this object: JSONB `@>` (GIN index `jobs_metadata_idx`). */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

/** A page's rows: whole rows when the caller asked `withData`, else summaries (no `input`, `output`). */
export type ListedJob<WithData extends boolean> = WithData extends true ? JobViewRow : JobSummaryViewRow;

/** A search text as a LIKE pattern matching it literally (`%`, `_` and `\` are wildcards or escapes otherwise). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The scope and the filter as SQL conditions over numbered parameters (every value is a parameter). */
function conditionsOf(scope: JobScope, filter: JobListFilter): { filter: string; params: unknown[] } {
  const params: unknown[] = [];
  const conditions: string[] = [];
  const add = (value: unknown, condition: (param: string) => string) => {
    if (value === undefined) return;
    params.push(value);
    conditions.push(condition(`$${String(params.length)}`));
  };
  add(scope.orgId ?? undefined, (p) => `org_id = ${p}::uuid`);
  add(scope.userId ?? undefined, (p) => `user_id = ${p}::uuid`);
  add(filter.statuses?.length ? filter.statuses : undefined, (p) => `status = ANY(${p}::job_status[])`);
  add(filter.type, (p) => `type = ${p}`);
  add(filter.subtype, (p) => `subtype = ${p}`);
  add(filter.userId, (p) => `user_id = ${p}::uuid`);
  add(filter.groupId, (p) => `group_id = ${p}`);
  add(filter.parentId, (p) => `parent_id = ${p}::uuid`);
  add(filter.scheduleId, (p) => `schedule_id = ${p}::uuid`);
  add(filter.createdFrom, (p) => `created_at >= ${p}`);
  add(filter.createdTo, (p) => `created_at < ${p}`);
  add(filter.search === undefined ? undefined : `%${escapeLike(filter.search)}%`, (p) => `name ILIKE ${p}`);
  add(filter.metadata === undefined ? undefined : JSON.stringify(filter.metadata), (p) => `metadata @> ${p}::jsonb`);
  return { filter: conditions.length === 0 ? "TRUE" : conditions.join(" AND "), params };
}

/**
 * A page of jobs, newest first, with keyset pagination on (created_at, id): jobs created while
 * a client pages land before its cursor, so the pages it has not read yet neither repeat nor
 * skip a job. `input` and `output` are read only with `withData` (callers cap such pages smaller).
 */
export async function listJobs<WithData extends boolean = false>(
  db: Queryable,
  scope: JobScope,
  filter: JobListFilter,
  page: { readonly limit: number; readonly after?: JobCursor; readonly withData?: WithData },
): Promise<{ jobs: ListedJob<WithData>[]; next: JobCursor | null }> {
  const columns = page.withData === true ? VIEW_COLUMNS : SUMMARY_COLUMNS;
  const { rows: jobs, next } = await selectPage<ListedJob<WithData>>(
    db,
    { select: `SELECT ${columns} FROM jobs`, ...conditionsOf(scope, filter) },
    page,
  );
  return { jobs, next };
}

/** How many jobs the scope and the filter match (a bulk action's `matched`, frozen at request time). */
export async function countJobs(db: Queryable, scope: JobScope, filter: JobListFilter): Promise<number> {
  const where = conditionsOf(scope, filter);
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM jobs WHERE ${where.filter}`,
    where.params,
  );
  return rows[0]?.n ?? 0;
}
