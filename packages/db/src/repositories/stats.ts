import { z } from "zod";
import { failedJobSchema, queueStatSchema, typeStatSchema, type QueueStatView } from "@jobstream/contract";
import type { DbOrTx } from "../client";
import { Prisma } from "../generated/prisma/client";

/** Restrict to one org, or `null` for every org (service callers). */
export interface StatsScope {
  readonly orgId: string | null;
}

const orgWhere = (scope: StatsScope): Prisma.Sql =>
  scope.orgId === null ? Prisma.empty : Prisma.sql`WHERE org_id = ${scope.orgId}::uuid`;

/** The contract's row of `GET /v1/stats/queues`: the query names its columns after its fields. */
export type QueueStat = QueueStatView;

/** Per type × status counts and durations over the last 24 hours (view `job_queue_stats`). */
export async function queueStats(db: DbOrTx, scope: StatsScope): Promise<QueueStat[]> {
  const rows: unknown[] = await db.$queryRaw`
    SELECT type, status::text AS status, sum(jobs)::int AS jobs,
           (sum(avg_duration_ms * jobs) / nullif(sum(jobs) FILTER (WHERE avg_duration_ms IS NOT NULL), 0))::float8
             AS "avgDurationMs",
           max(max_duration_ms)::float8 AS "maxDurationMs"
    FROM job_queue_stats ${orgWhere(scope)}
    GROUP BY type, job_queue_stats.status ORDER BY type, job_queue_stats.status`;
  return rows.map((raw) => queueStatSchema.parse(raw));
}

/** The fields `GET /v1/stats/failed` shows as they are, and the rest as the view names them. */
const failedRow = failedJobSchema.pick({ id: true, type: true, subtype: true, name: true, attempts: true }).extend({
  max_attempts: z.number().int(),
  attempts_left: z.number().int(),
  error_code: z.string().nullable(),
  error_message: z.string().nullable(),
  failed_at: z.date().nullable(),
});
export type FailedJob = z.infer<typeof failedRow>;

/** Every failed job (attempts left or used up), most recent first (view `job_failed_attention`). */
export async function failedJobsNeedingAttention(db: DbOrTx, scope: StatsScope, limit = 100): Promise<FailedJob[]> {
  const rows: unknown[] = await db.$queryRaw`
    SELECT id::text, type, subtype, name, attempts, max_attempts, attempts_left, error_code, error_message, failed_at
    FROM job_failed_attention ${orgWhere(scope)}
    ORDER BY failed_at DESC NULLS LAST, id LIMIT ${limit}`;
  return rows.map((raw) => failedRow.parse(raw));
}

/** The contract's row of `GET /v1/stats/types`; the success rate is worked out here, not in SQL. */
export type TypeStat = z.infer<typeof typeStatSchema>;
const typeTotalsRow = typeStatSchema.omit({ successRate: true });

/** Per-type totals, success rate and average duration over the last 7 days (view `job_type_stats`). */
export async function typeStats(db: DbOrTx, scope: StatsScope): Promise<TypeStat[]> {
  const rows: unknown[] = await db.$queryRaw`
    SELECT type, sum(total)::int AS total, sum(completed)::int AS completed, sum(failed)::int AS failed,
           sum(cancelled)::int AS cancelled, sum(unfinished)::int AS unfinished,
           (sum(avg_duration_ms * completed)
             / nullif(sum(completed) FILTER (WHERE avg_duration_ms IS NOT NULL), 0))::float8 AS "avgDurationMs"
    FROM job_type_stats ${orgWhere(scope)}
    GROUP BY type ORDER BY type`;
  return rows.map((raw) => {
    const totals = typeTotalsRow.parse(raw);
    const finished = totals.completed + totals.failed;
    // completed / (completed + failed), null before any job finished.
    return { ...totals, successRate: finished === 0 ? null : totals.completed / finished };
  });
}

const unfinishedCountRow = queueStatSchema.pick({ type: true, status: true, jobs: true });

/** Unfinished jobs of one org by type and status (live queue depths as that org sees them). */
export async function unfinishedJobCounts(db: DbOrTx, orgId: string): Promise<z.infer<typeof unfinishedCountRow>[]> {
  const rows: unknown[] = await db.$queryRaw`
    SELECT type, status::text AS status, count(*)::int AS jobs
    FROM jobs
    WHERE org_id = ${orgId}::uuid AND status IN ('pending', 'queued', 'delayed', 'waiting_children', 'running')
    GROUP BY type, status`;
  return rows.map((raw) => unfinishedCountRow.parse(raw));
}

/** Jobs stored as `pending`, not yet sent to Redis (the outbox backlog). */
export async function countPendingJobs(db: DbOrTx): Promise<number> {
  const rows: { n: number }[] = await db.$queryRaw`SELECT count(*)::int AS n FROM jobs WHERE status = 'pending'`;
  return rows[0]?.n ?? 0;
}
