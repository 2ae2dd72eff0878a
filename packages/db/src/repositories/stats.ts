import { z } from "zod";
import type { DbOrTx } from "../client";
import { Prisma } from "../generated/prisma/client";
import { jobStatuses } from "../status";

/** Restrict to one org, or `null` for every org (service callers). */
export interface StatsScope {
  readonly orgId: string | null;
}

const nullableNumber = z.number().nullable();

const queueStatRow = z.object({
  type: z.string(),
  status: z.enum(jobStatuses),
  jobs: z.number().int(),
  avg_duration_ms: nullableNumber,
  max_duration_ms: nullableNumber,
});
export interface QueueStat {
  readonly type: string;
  readonly status: (typeof jobStatuses)[number];
  readonly jobs: number;
  readonly avgDurationMs: number | null;
  readonly maxDurationMs: number | null;
}

/** Per type × status counts and durations over the last 24 hours (view `job_queue_stats`). */
export async function queueStats(db: DbOrTx, scope: StatsScope): Promise<QueueStat[]> {
  const where = scope.orgId === null ? Prisma.empty : Prisma.sql`WHERE org_id = ${scope.orgId}::uuid`;
  const rows: unknown[] = await db.$queryRaw`
    SELECT type, status::text AS status, sum(jobs)::int AS jobs,
           (sum(avg_duration_ms * jobs) / nullif(sum(jobs) FILTER (WHERE avg_duration_ms IS NOT NULL), 0))::float8 AS avg_duration_ms,
           max(max_duration_ms)::float8 AS max_duration_ms
    FROM job_queue_stats ${where}
    GROUP BY type, job_queue_stats.status ORDER BY type, job_queue_stats.status`;
  return rows.map((raw) => {
    const r = queueStatRow.parse(raw);
    return {
      type: r.type,
      status: r.status,
      jobs: r.jobs,
      avgDurationMs: r.avg_duration_ms,
      maxDurationMs: r.max_duration_ms,
    };
  });
}

const failedRow = z.object({
  id: z.string(),
  type: z.string(),
  subtype: z.string().nullable(),
  name: z.string(),
  attempts: z.number().int(),
  max_attempts: z.number().int(),
  attempts_left: z.number().int(),
  error_code: z.string().nullable(),
  error_message: z.string().nullable(),
  failed_at: z.date().nullable(),
});
export type FailedJob = z.infer<typeof failedRow>;

/** Failed jobs that still have attempts left, most recent first (view `job_failed_attention`). */
export async function failedJobsNeedingAttention(db: DbOrTx, scope: StatsScope, limit = 100): Promise<FailedJob[]> {
  const where = scope.orgId === null ? Prisma.empty : Prisma.sql`WHERE org_id = ${scope.orgId}::uuid`;
  const rows: unknown[] = await db.$queryRaw`
    SELECT id::text, type, subtype, name, attempts, max_attempts, attempts_left, error_code, error_message, failed_at
    FROM job_failed_attention ${where}
    ORDER BY failed_at DESC NULLS LAST, id LIMIT ${limit}`;
  return rows.map((raw) => failedRow.parse(raw));
}

const typeRow = z.object({
  type: z.string(),
  total: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  unfinished: z.number().int(),
  avg_duration_ms: nullableNumber,
});
export interface TypeStat {
  readonly type: string;
  readonly total: number;
  readonly completed: number;
  readonly failed: number;
  readonly cancelled: number;
  readonly unfinished: number;
  /** completed / (completed + failed), null before any job finished. */
  readonly successRate: number | null;
  readonly avgDurationMs: number | null;
}

/** Per-type totals, success rate and average duration over the last 7 days (view `job_type_stats`). */
export async function typeStats(db: DbOrTx, scope: StatsScope): Promise<TypeStat[]> {
  const where = scope.orgId === null ? Prisma.empty : Prisma.sql`WHERE org_id = ${scope.orgId}::uuid`;
  const rows: unknown[] = await db.$queryRaw`
    SELECT type, sum(total)::int AS total, sum(completed)::int AS completed, sum(failed)::int AS failed,
           sum(cancelled)::int AS cancelled, sum(unfinished)::int AS unfinished,
           (sum(avg_duration_ms * completed) / nullif(sum(completed) FILTER (WHERE avg_duration_ms IS NOT NULL), 0))::float8 AS avg_duration_ms
    FROM job_type_stats ${where}
    GROUP BY type ORDER BY type`;
  return rows.map((raw) => {
    const r = typeRow.parse(raw);
    const finished = r.completed + r.failed;
    return {
      type: r.type,
      total: r.total,
      completed: r.completed,
      failed: r.failed,
      cancelled: r.cancelled,
      unfinished: r.unfinished,
      successRate: finished === 0 ? null : r.completed / finished,
      avgDurationMs: r.avg_duration_ms,
    };
  });
}

/** Unfinished jobs of one org by type and status (live queue depths as that org sees them). */
export async function unfinishedJobCounts(
  db: DbOrTx,
  orgId: string,
): Promise<{ type: string; status: (typeof jobStatuses)[number]; jobs: number }[]> {
  const rows: unknown[] = await db.$queryRaw`
    SELECT type, status::text AS status, count(*)::int AS jobs
    FROM jobs
    WHERE org_id = ${orgId}::uuid AND status IN ('pending', 'queued', 'delayed', 'waiting_children', 'running')
    GROUP BY type, status`;
  return rows.map((raw) =>
    z.object({ type: z.string(), status: z.enum(jobStatuses), jobs: z.number().int() }).parse(raw),
  );
}

/** Jobs stored as `pending`, not yet sent to Redis (the outbox backlog). */
export async function countPendingJobs(db: DbOrTx): Promise<number> {
  const rows: { n: number }[] = await db.$queryRaw`SELECT count(*)::int AS n FROM jobs WHERE status = 'pending'`;
  return rows[0]?.n ?? 0;
}
