import type { Queryable } from "../pg";

/** What one round of partition upkeep did (days as `YYYY-MM-DD`, UTC). */
export interface EventPartitionUpkeep {
  /** Partitions made: the days ahead, and days whose rows had been waiting in the default partition. */
  readonly created: readonly string[];
  /** Past days dropped whole: no job created on them remains. */
  readonly dropped: readonly string[];
  /** Past days kept because a job created on them still exists (unfinished, or not yet expired). */
  readonly kept: readonly string[];
  /**
   * Days skipped because a lock was not had within the functions' 2 s lock timeout (writers or a long
   * read held the table), whether to create or to drop; the next round retries them.
   */
  readonly busy: readonly string[];
}

export interface EventPartitionOptions {
  /** Days after today to have partitions for. @defaultValue 7 */
  readonly aheadDays?: number;
  /** The clock, for tests. @defaultValue new Date() */
  readonly now?: Date;
  /** Only create; drop nothing (a dry run). @defaultValue false */
  readonly createOnly?: boolean;
}

/**
 * What a busy table makes a day's function fail with: lock_not_available (lock timeout),
 * check_violation (a row of the day reached the default partition before the ATTACH), and
 * deadlock_detected. Each leaves nothing changed (the statement rolls back); the next round retries.
 */
const BUSY = new Set(["55P03", "23514", "40P01"]);

/** Runs one day's function; undefined when the day was busy. */
async function onDay(db: Queryable, sql: string, d: string): Promise<boolean | undefined> {
  try {
    const { rows } = await db.query<{ done: boolean }>(sql, [d]);
    return rows[0]?.done === true;
  } catch (error) {
    if (!BUSY.has(String((error as { code?: unknown }).code))) throw error;
    return undefined;
  }
}

const day = (d: Date) => d.toISOString().slice(0, 10);

/** The days that have a partition of their own, oldest first (the default partition is not one). */
export async function listEventPartitionDays(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ day: string }>(
    `SELECT to_char(to_date(substr(c.relname, 13), 'YYYYMMDD'), 'YYYY-MM-DD') AS day
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
     WHERE i.inhparent = 'job_events'::regclass AND c.relname ~ '^job_events_p[0-9]{8}$'
     ORDER BY 1`,
  );
  return rows.map((r) => r.day);
}

/**
 * Keeps job_events' daily partitions (docs/history.md): creates today's and the next `aheadDays`
 * days' (and those of rows waiting in the default partition, moving them in), then drops every past
 * day no job created on it still holds. Job retention decides, partitions follow: a day goes once
 * the sweep deleted its last job, so a job's timeline lives exactly as long as the job.
 */
export async function maintainEventPartitions(
  db: Queryable,
  options: EventPartitionOptions = {},
): Promise<EventPartitionUpkeep> {
  const now = options.now ?? new Date();
  const { rows: days } = await db.query<{ day: string }>(
    `SELECT to_char($1::date + k, 'YYYY-MM-DD') AS day FROM generate_series(0, $2::int) AS k
     UNION
     SELECT DISTINCT to_char(job_created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') FROM job_events_default
     ORDER BY 1`,
    [day(now), options.aheadDays ?? 7],
  );
  // One statement per day: the function alters job_events, which a statement scanning it must not.
  const created: string[] = [];
  const busy: string[] = [];
  for (const { day: d } of days) {
    const made = await onDay(db, `SELECT jobstream_ensure_event_partition($1::date) AS done`, d);
    if (made === undefined) busy.push(d);
    else if (made) created.push(d);
  }
  const dropped: string[] = [];
  const kept: string[] = [];
  if (options.createOnly !== true) {
    const today = day(now);
    for (const past of (await listEventPartitionDays(db)).filter((d) => d < today)) {
      const gone = await onDay(db, `SELECT jobstream_drop_event_partition($1::date) AS done`, past);
      (gone === undefined ? busy : gone ? dropped : kept).push(past);
    }
  }
  return { created, dropped, kept, busy };
}
