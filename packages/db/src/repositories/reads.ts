import type { DbOrTx } from "../client";
import type { Job, JobEvent, JobItem, Prisma } from "../generated/prisma/client";
import type { JobItemStatusName, JobStatusName } from "../status";
import { cutPage, type KeysetCursor } from "./keyset";

/** Whose jobs a caller sees: one user's, one org's, or (null org) everyone's. */
export interface JobScope {
  readonly orgId: string | null;
  readonly userId: string | null;
}

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
  /** Case-insensitive substring of the job's name. */
  readonly search?: string;
}

/** A job row without `input` and `output` (lists and streams of many jobs never read them: they may be megabytes). */
export type JobSummaryRow = Omit<Job, "input" | "output">;

/** Columns lists leave out unless asked: Prisma then does not even select them. */
const WITHOUT_DATA = { input: true, output: true } as const;

/**
 * A search text as a LIKE pattern matching it literally: Prisma's `contains` wraps it in `%…%` but
 * leaves `%`, `_` and `\` (Postgres's default escape character) as wildcards.
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Position after the last job of a page: newest first, ties broken by id. */
export type JobCursor = KeysetCursor;

function scopeWhere(scope: JobScope): Prisma.JobWhereInput {
  return {
    ...(scope.orgId !== null ? { orgId: scope.orgId } : {}),
    ...(scope.userId !== null ? { userId: scope.userId } : {}),
  };
}

/** A page's rows: whole rows when the caller asked `withData`, else summaries. */
export type ListedJob<WithData extends boolean> = WithData extends true ? Job : JobSummaryRow;

/**
 * A page of jobs, newest first, with keyset pagination on (created_at, id): jobs created while
 * a client pages land before its cursor, so the pages it has not read yet neither repeat nor
 * skip a job. `input` and `output` are read only with `withData` (callers cap such pages smaller).
 */
export async function listJobs<WithData extends boolean = false>(
  db: DbOrTx,
  scope: JobScope,
  filter: JobListFilter,
  page: { readonly limit: number; readonly after?: JobCursor; readonly withData?: WithData },
): Promise<{ jobs: ListedJob<WithData>[]; next: JobCursor | null }> {
  const where: Prisma.JobWhereInput = {
    AND: [
      scopeWhere(scope),
      filter.statuses && filter.statuses.length > 0 ? { status: { in: [...filter.statuses] } } : {},
      filter.type !== undefined ? { type: filter.type } : {},
      filter.subtype !== undefined ? { subtype: filter.subtype } : {},
      filter.userId !== undefined ? { userId: filter.userId } : {},
      filter.groupId !== undefined ? { groupId: filter.groupId } : {},
      filter.parentId !== undefined ? { parentId: filter.parentId } : {},
      filter.scheduleId !== undefined ? { scheduleId: filter.scheduleId } : {},
      filter.createdFrom !== undefined ? { createdAt: { gte: filter.createdFrom } } : {},
      filter.createdTo !== undefined ? { createdAt: { lt: filter.createdTo } } : {},
      filter.search !== undefined ? { name: { contains: escapeLike(filter.search), mode: "insensitive" } } : {},
      page.after !== undefined
        ? {
            OR: [
              { createdAt: { lt: page.after.createdAt } },
              { createdAt: page.after.createdAt, id: { lt: page.after.id } },
            ],
          }
        : {},
    ],
  };
  const query = { where, orderBy: [{ createdAt: "desc" as const }, { id: "desc" as const }], take: page.limit + 1 };
  // TypeScript cannot narrow a type parameter by the value it was inferred from: the branch taken is the one it names.
  const rows = (
    page.withData === true ? await db.job.findMany(query) : await db.job.findMany({ ...query, omit: WITHOUT_DATA })
  ) as ListedJob<WithData>[];
  const { rows: jobs, next } = cutPage(rows, page.limit);
  return { jobs, next };
}

/** Position after the last item of a page: items are listed by (ordinal, id). */
export interface ItemCursor {
  readonly ordinal: bigint;
  readonly id: bigint;
}

/** A job's items in the order they were reported, optionally one status, after a cursor. */
export async function listJobItems(
  db: DbOrTx,
  jobId: string,
  filter: { readonly status?: JobItemStatusName; readonly after?: ItemCursor; readonly limit: number },
): Promise<{ items: JobItem[]; next: ItemCursor | null }> {
  const after = filter.after;
  const rows = await db.jobItem.findMany({
    where: {
      jobId,
      ...(filter.status ? { status: filter.status } : {}),
      ...(after !== undefined
        ? { OR: [{ ordinal: { gt: after.ordinal } }, { ordinal: after.ordinal, id: { gt: after.id } }] }
        : {}),
    },
    orderBy: [{ ordinal: "asc" }, { id: "asc" }],
    take: filter.limit + 1,
  });
  const items = rows.slice(0, filter.limit);
  const last = items.at(-1);
  return { items, next: rows.length > filter.limit && last ? { ordinal: last.ordinal, id: last.id } : null };
}

/** A job's timeline in the order things happened. */
export function listJobEvents(db: DbOrTx, jobId: string, limit = 1000): Promise<JobEvent[]> {
  return db.jobEvent.findMany({
    where: { jobId },
    orderBy: [{ createdAt: "asc" }, { seq: { sort: "asc", nulls: "first" } }, { id: "asc" }],
    take: limit,
  });
}

/** Jobs by id (any order; unknown ids are skipped), with `input` and `output` only for the ids in `withData`. */
export async function findJobsByIds(
  db: DbOrTx,
  ids: readonly string[],
  withData: ReadonlySet<string> = new Set(),
): Promise<{ full: Job[]; summaries: JobSummaryRow[] }> {
  const fullIds = ids.filter((id) => withData.has(id));
  const summaryIds = ids.filter((id) => !withData.has(id));
  const [full, summaries] = await Promise.all([
    fullIds.length === 0 ? [] : db.job.findMany({ where: { id: { in: fullIds } } }),
    summaryIds.length === 0 ? [] : db.job.findMany({ where: { id: { in: summaryIds } }, omit: WITHOUT_DATA }),
  ]);
  return { full, summaries };
}
