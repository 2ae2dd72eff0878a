import type { DbOrTx } from "../client";
import type { Job, JobEvent, JobItem } from "../generated/prisma/client";
import type { JobItemStatusName } from "../status";
import type { KeysetCursor } from "./keyset";

/** Whose jobs a caller sees: one user's, one org's, or (null org) everyone's. */
export interface JobScope {
  readonly orgId: string | null;
  readonly userId: string | null;
}

/** Position after the last job of a page: newest first, ties broken by id. */
export type JobCursor = KeysetCursor;

/** A job row without `input` and `output` (lists and streams of many jobs never read them: they may be megabytes). */
export type JobSummaryRow = Omit<Job, "input" | "output">;

/** Columns lists leave out unless asked: Prisma then does not even select them. */
const WITHOUT_DATA = { input: true, output: true } as const;

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

/**
 * A job's timeline in the order things happened. The job's created_at names the one partition its
 * events live in (without it every day's partition would be probed).
 */
export function listJobEvents(
  db: DbOrTx,
  job: { readonly id: string; readonly createdAt: Date },
  limit = 1000,
): Promise<JobEvent[]> {
  return db.jobEvent.findMany({
    where: { jobId: job.id, jobCreatedAt: job.createdAt },
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
