import type { Queryable } from "../pg";
import type { StatsScope } from "./stats";

/** One bucket of `GET /v1/stats/timeseries`: what happened in [start, start + bucket). */
export interface TimeseriesBucket {
  readonly start: Date;
  /** Jobs created in the bucket. */
  readonly created: number;
  /** Jobs that reached `completed`, `failed`, `cancelled` in the bucket. */
  readonly completed: number;
  readonly failed: number;
  readonly cancelled: number;
  /** Median and 95th percentile run time of the jobs completed in the bucket; null if none. */
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
}

export interface TimeseriesQuery {
  readonly from: Date;
  /** Exclusive. */
  readonly to: Date;
  readonly bucketSeconds: number;
  readonly type?: string;
  readonly subtype?: string;
}

/** Buckets start at whole multiples of their width since this instant (a Monday, midnight UTC). */
const ORIGIN = "2001-01-01T00:00:00Z";

/** Parameters $1-$4 of both queries, and the narrowing conditions after them. */
function paramsOf(q: TimeseriesQuery, narrowing: Record<string, unknown>) {
  const params: unknown[] = [`${String(q.bucketSeconds)} seconds`, ORIGIN, q.from, q.to];
  const conditions: string[] = [];
  for (const [column, value] of Object.entries(narrowing)) {
    if (value === undefined || value === null) continue;
    params.push(value);
    conditions.push(`AND ${column} = $${String(params.length)}`);
  }
  return { params, and: conditions.join(" ") };
}

const bin = (column: string) => `date_bin($1::interval, ${column}, $2::timestamptz)`;

/** Every bucket of [from, to) joined with the per-bucket rows of `created` and `finished`. */
const BUCKETS = `
  SELECT b.start, coalesce(c.n, 0)::int AS created, coalesce(f.completed, 0)::int AS completed,
         coalesce(f.failed, 0)::int AS failed, coalesce(f.cancelled, 0)::int AS cancelled,
         f.p50::float8 AS "p50Ms", f.p95::float8 AS "p95Ms"
  FROM generate_series(${bin("$3::timestamptz")}, ${bin("$4::timestamptz - interval '1 millisecond'")}, $1::interval)
    AS b(start)
  LEFT JOIN created c ON c.start = b.start
  LEFT JOIN finished f ON f.start = b.start
  ORDER BY b.start`;

/** One org: `date_bin` over its rows (jobs_org_created_idx); exact percentiles. */
async function orgTimeseries(db: Queryable, orgId: string, q: TimeseriesQuery): Promise<TimeseriesBucket[]> {
  const { params, and } = paramsOf(q, { org_id: orgId, type: q.type, subtype: q.subtype });
  const completed = "FILTER (WHERE status = 'completed')";
  const { rows } = await db.query<TimeseriesBucket>(
    `WITH created AS (
       SELECT ${bin("created_at")} AS start, count(*) AS n
       FROM jobs WHERE created_at >= $3 AND created_at < $4 ${and} GROUP BY 1
     ),
     finished AS (
       SELECT ${bin("coalesce(completed_at, cancelled_at)")} AS start,
              count(*) ${completed} AS completed, count(*) FILTER (WHERE status = 'failed') AS failed,
              count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) ${completed} AS p50,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) ${completed} AS p95
       FROM jobs
       WHERE status IN ('completed', 'failed', 'cancelled')
         AND coalesce(completed_at, cancelled_at) >= $3 AND coalesce(completed_at, cancelled_at) < $4 ${and}
       GROUP BY 1
     )
     ${BUCKETS}`,
    params,
  );
  return rows;
}

/**
 * Every org: the per-minute (1m, 5m buckets) or per-hour (1h, 1d) rollups the enqueue and mirror
 * statements maintain, so the cost follows the number of buckets, not of jobs. Counts go by whole
 * minutes (hours) and percentiles come from run-time histograms (within 12 %).
 */
async function everyOrgTimeseries(db: Queryable, q: TimeseriesQuery): Promise<TimeseriesBucket[]> {
  const { params, and } = paramsOf(q, {
    width: q.bucketSeconds >= 3600 ? "hour" : "minute",
    type: q.type,
    subtype: q.subtype,
  });
  const range = `start >= ${bin("$3::timestamptz")} AND start < $4`;
  const { rows } = await db.query<TimeseriesBucket>(
    `WITH created AS (
       SELECT ${bin("start")} AS start, sum(created) AS n FROM job_created_rollup WHERE ${range} ${and} GROUP BY 1
     ),
     merged AS (
       SELECT ${bin("start")} AS start, sum(completed) AS completed, sum(failed) AS failed,
              sum(cancelled) AS cancelled, jobstream_histogram_sum(durations) AS durations
       FROM job_finished_rollup WHERE ${range} ${and} GROUP BY 1
     ),
     finished AS (
       SELECT start, completed, failed, cancelled, jobstream_histogram_percentile(durations, 0.5) AS p50,
              jobstream_histogram_percentile(durations, 0.95) AS p95
       FROM merged
     )
     ${BUCKETS}`,
    params,
  );
  return rows;
}

/**
 * Jobs created, completed, failed and cancelled per bucket over [from, to), with the median and
 * 95th percentile run time of the completed ones. Every bucket of the range is returned (empty
 * ones with zeros), the first one possibly starting before `from`.
 */
export function jobTimeseries(db: Queryable, scope: StatsScope, q: TimeseriesQuery): Promise<TimeseriesBucket[]> {
  return scope.orgId === null ? everyOrgTimeseries(db, q) : orgTimeseries(db, scope.orgId, q);
}

/**
 * Recounts the every-org rollups from the jobs rows (rows written around the enqueue and mirror
 * statements, as the benchmark's bulk seeding does, are otherwise not in them). Counts of jobs the
 * retention sweep already deleted are lost.
 */
export async function rebuildTimeseriesRollups(db: Queryable): Promise<void> {
  // The SQL function (migration 20261129100300) is the one definition of both counts from the rows.
  await db.query(`SELECT jobstream_rebuild_rollups()`);
}

/** Jobs of each type that finished in the current minute and the `minutes - 1` before, every org (the rollups). */
export async function recentFinishes(
  db: Queryable,
  minutes: number,
): Promise<{ type: string; completed: number; failed: number }[]> {
  const { rows } = await db.query<{ type: string; completed: number; failed: number }>(
    `SELECT type, sum(completed)::int AS completed, sum(failed)::int AS failed
     FROM job_finished_rollup
     WHERE width = 'minute' AND start >= date_trunc('minute', now()) - make_interval(mins => $1 - 1)
     GROUP BY type`,
    [minutes],
  );
  return rows;
}

/** How long the every-org rollups keep their rows: minute rows serve 1m and 5m buckets, hour rows 1h and 1d. */
export const ROLLUP_RETENTION_DAYS = { minute: 35, hour: 400 } as const;

/** Deletes rollup rows older than their retention (the retention sweep); returns how many went. */
export async function pruneTimeseriesRollups(db: Queryable, now = new Date()): Promise<number> {
  let pruned = 0;
  for (const table of ["job_created_rollup", "job_finished_rollup"]) {
    const { rowCount } = await db.query(
      `DELETE FROM ${table}
       WHERE (width = 'minute' AND start < $1::timestamptz - make_interval(days => $2))
          OR (width = 'hour' AND start < $1::timestamptz - make_interval(days => $3))`,
      [now, ROLLUP_RETENTION_DAYS.minute, ROLLUP_RETENTION_DAYS.hour],
    );
    pruned += rowCount ?? 0;
  }
  return pruned;
}
