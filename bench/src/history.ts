import pg from "pg";
import { testDatabase } from "@jobstream/testing";

/** `pnpm bench --only history`: job_events partitioned by day against the table it replaced. */
export interface HistoryResult {
  readonly jobs: number;
  readonly events: number;
  readonly items: number;
  /** Mirror-shaped inserts (one statement per 500 jobs' events), events/s: the old table / partitioned. */
  readonly insertPerSec: { readonly flat: number; readonly partitioned: number };
  /** Retention of one day's jobs, ms: their events deleted row by row (the old cascade) / their partition dropped. */
  readonly retentionMs: { readonly deleteEvents: number; readonly dropPartition: number };
  /** The whole sweep of those jobs, ms, by part: before (events row by row) and now (events by partition). */
  readonly sweepMs: {
    readonly before: { readonly events: number; readonly items: number; readonly jobs: number };
    readonly after: { readonly items: number; readonly jobs: number; readonly partition: number };
  };
}

const EVENTS_PER_JOB = 4;
const ITEMS_PER_JOB = 10;
const BATCH = 500;

// The layout before migration 20261129132000: one table, unique (job_id, seq), cascading foreign key.
const FLAT = `
CREATE TABLE job_events_flat (
  id bigserial PRIMARY KEY,
  job_id uuid NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  type job_event_type NOT NULL, seq bigint, data jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE (job_id, seq)
)`;

// The mirror's timeline statement against each layout (src/repositories/mirror.ts, before and after).
const INSERT = {
  flat: `INSERT INTO job_events_flat (job_id, type, seq, data, created_at)
         SELECT t.job_id, 'progress', t.seq, '{"p":1}', now() FROM unnest($1::uuid[], $2::bigint[]) AS t(job_id, seq)
         WHERE EXISTS (SELECT 1 FROM jobs WHERE jobs.id = t.job_id)
         ORDER BY t.job_id, t.seq ON CONFLICT (job_id, seq) DO NOTHING`,
  partitioned: `INSERT INTO job_events (job_id, type, seq, data, created_at, job_created_at)
         SELECT t.job_id, 'progress', t.seq, '{"p":1}', now(), jobs.created_at
         FROM unnest($1::uuid[], $2::bigint[]) AS t(job_id, seq) JOIN jobs ON jobs.id = t.job_id
         ORDER BY t.job_id, t.seq ON CONFLICT (job_id, seq, job_created_at) DO NOTHING`,
} as const;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** Ids of `count` jobs created on `day` (UTC date), with their items. */
async function seedJobs(pool: pg.Pool, day: string, count: number): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO jobs (id, org_id, type, subtype, name, queue, max_attempts, input, status, created_at, updated_at)
     SELECT gen_random_uuid(), gen_random_uuid(), 'synthetic', 'work', 'h', 'synthetic', 1, '{}', 'completed',
            $1::date + g * interval '1 second', now()
     FROM generate_series(1, $2::int) AS g RETURNING id::text`,
    [day, count],
  );
  const ids = rows.map((r) => r.id);
  await pool.query(
    `INSERT INTO job_items (job_id, ref, status) SELECT j, 'item-' || k, 'success'
     FROM unnest($1::uuid[]) AS j CROSS JOIN generate_series(1, $2::int) AS k`,
    [ids, ITEMS_PER_JOB],
  );
  return ids;
}

async function insertEvents(pool: pg.Pool, layout: keyof typeof INSERT, ids: readonly string[]): Promise<number> {
  return timed(async () => {
    for (let i = 0; i < ids.length; i += BATCH) {
      const batch = ids.slice(i, i + BATCH);
      const jobIds = batch.flatMap((id) => Array<string>(EVENTS_PER_JOB).fill(id));
      const seqs = batch.flatMap(() => Array.from({ length: EVENTS_PER_JOB }, (_, k) => k + 1));
      await pool.query(INSERT[layout], [jobIds, seqs]);
    }
  });
}

/** Batches of 1,000 jobs, as the retention sweep deletes them. */
async function inBatches(pool: pg.Pool, sql: string, ids: readonly string[]): Promise<number> {
  return timed(async () => {
    for (let i = 0; i < ids.length; i += 1000) await pool.query(sql, [ids.slice(i, i + 1000)]);
  });
}

export async function runHistory(jobs: number): Promise<HistoryResult> {
  const database = await testDatabase();
  const pool = new pg.Pool({ connectionString: database.url, max: 2 });
  try {
    await pool.query(FLAT);
    const today = new Date().toISOString().slice(0, 10);
    const oldDay = new Date(Date.now() - 40 * 86_400_000).toISOString().slice(0, 10);
    const flatDay = new Date(Date.now() - 41 * 86_400_000).toISOString().slice(0, 10);
    await pool.query(`SELECT jobstream_ensure_event_partition($1::date)`, [oldDay]);
    // Inserts: jobs of today, each layout in two halves, in A B B A order (a busy machine drifts).
    const fresh = await seedJobs(pool, today, jobs);
    const half = Math.floor(jobs / 2);
    const [a, b] = [fresh.slice(0, half), fresh.slice(half)];
    let flatMs = await insertEvents(pool, "flat", a);
    let partMs = await insertEvents(pool, "partitioned", a);
    partMs += await insertEvents(pool, "partitioned", b);
    flatMs += await insertEvents(pool, "flat", b);
    const events = jobs * EVENTS_PER_JOB;

    // Retention of one day's jobs, each layout its own day (40 and 41 days ago), as the sweep runs it:
    // before, events went with each job (cascade); now the day's partition goes once its jobs are gone.
    // Events are deleted explicitly first (the cascade's work, timed apart), then items, then job rows.
    const [onFlat, onPartitions] = [await seedJobs(pool, flatDay, jobs), await seedJobs(pool, oldDay, jobs)];
    await insertEvents(pool, "flat", onFlat);
    await insertEvents(pool, "partitioned", onPartitions);
    await pool.query("VACUUM ANALYZE");
    const deleteEvents = await inBatches(pool, `DELETE FROM job_events_flat WHERE job_id = ANY($1::uuid[])`, onFlat);
    const flatItems = await inBatches(pool, `DELETE FROM job_items WHERE job_id = ANY($1::uuid[])`, onFlat);
    const flatJobs = await inBatches(pool, `DELETE FROM jobs WHERE id = ANY($1::uuid[])`, onFlat);
    const deleteItems = await inBatches(pool, `DELETE FROM job_items WHERE job_id = ANY($1::uuid[])`, onPartitions);
    const deleteJobs = await inBatches(pool, `DELETE FROM jobs WHERE id = ANY($1::uuid[])`, onPartitions);
    const dropStarted = performance.now();
    const { rows } = await pool.query<{ d: boolean }>(`SELECT jobstream_drop_event_partition($1::date) AS d`, [oldDay]);
    const dropPartition = performance.now() - dropStarted;
    if (rows[0]?.d !== true) throw new Error("history bench: the expired day's partition was not dropped");
    return {
      jobs,
      events,
      items: jobs * ITEMS_PER_JOB,
      insertPerSec: { flat: (1000 * events) / flatMs, partitioned: (1000 * events) / partMs },
      retentionMs: { deleteEvents, dropPartition },
      sweepMs: {
        before: { events: deleteEvents, items: flatItems, jobs: flatJobs },
        after: { items: deleteItems, jobs: deleteJobs, partition: dropPartition },
      },
    };
  } finally {
    await pool.end();
    await database.drop();
  }
}
