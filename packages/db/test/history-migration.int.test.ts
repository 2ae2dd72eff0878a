import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMirrorBatch, createDb, listEventPartitionDays, listJobEvents, type Db } from "../src/index";
import { MIGRATIONS_DIR, migrate, readMigrations } from "../src/migrate";
import { createEmptyTestDatabase, type TestDatabase } from "../src/test-database";
import { jobSnapshot } from "../src/test-rows";
import { ADMIN_URL } from "./env";

// The migration that partitions job_events, applied to a database populated at the one before it.
const PARTITIONING = "20261129132000_job_events_partitioned";
const DAY = 86_400_000;
const JOBS = 600;
let database: TestDatabase;
let before: string;
let pool: pg.Pool;
let db: Db;

interface EventRow {
  id: string;
  job_id: string;
  type: string;
  seq: string | null;
  data: unknown;
  created_at: Date;
}

const allEvents = async () =>
  (
    await pool.query<EventRow>(`SELECT id::text, job_id::text, type::text, seq::text, data, created_at FROM job_events
                               ORDER BY id`)
  ).rows;

beforeAll(async () => {
  database = await createEmptyTestDatabase(ADMIN_URL, "jobstream_history");
  const url = database.url;
  before = await mkdtemp(join(tmpdir(), "jobstream-before-partitions-"));
  for (const file of await readMigrations()) {
    if (file.name < PARTITIONING)
      await cp(join(MIGRATIONS_DIR, file.name), join(before, file.name), { recursive: true });
  }
  await cp(join(MIGRATIONS_DIR, "migration_lock.toml"), join(before, "migration_lock.toml"));
  await migrate({ connectionString: url, dir: before });
  pool = new pg.Pool({ connectionString: url, max: 2 });
  db = createDb({ connectionString: url, max: 1 });
});

afterAll(async () => {
  await db.$disconnect();
  await pool.end();
  await database.drop();
  await rm(before, { recursive: true, force: true });
});

describe("partitioning job_events on a populated database", () => {
  it("moves every row, keeps ids, numbering and dedup, and the timeline reads as before", async () => {
    // Jobs created over the last ~5 months (one every 6 hours), each with a timeline of 4 to 6 events.
    await pool.query(
      `INSERT INTO jobs (id, org_id, type, subtype, name, queue, max_attempts, input, status, created_at, updated_at)
       SELECT gen_random_uuid(), gen_random_uuid(), 'synthetic', 'work', 'j' || g, 'synthetic', 3, '{}', 'completed',
              now() - g * interval '6 hours', now()
       FROM generate_series(1, $1::int) AS g`,
      [JOBS],
    );
    await pool.query(
      `INSERT INTO job_events (job_id, type, seq, data, created_at)
       SELECT j.id, (ARRAY['created','queued','started','progress','progress','completed'])[k]::job_event_type,
              CASE WHEN k > 2 THEN k - 2 END, jsonb_build_object('k', k), j.created_at + k * interval '1 minute'
       FROM jobs j CROSS JOIN generate_series(1, 6) AS k
       WHERE k <= 4 + (hashtext(j.id::text) & 1) * 2`,
    );
    const rowsBefore = await allEvents();
    const { rows: span } = await pool.query<{ days: number }>(
      `SELECT (max(created_at)::date - min(created_at)::date) AS days FROM job_events`,
    );
    expect(span[0]?.days).toBeGreaterThan(120);

    await migrate({ connectionString: database.url });

    // Every row is there, unchanged, and carries its job's created_at.
    expect(await allEvents()).toEqual(rowsBefore);
    const { rows: keyed } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM job_events e JOIN jobs j ON j.id = e.job_id AND j.created_at = e.job_created_at`,
    );
    expect(keyed[0]?.n).toBe(rowsBefore.length);
    // ...in its day's partition; the default partition stays empty.
    const { rows: placed } = await pool.query<{ misplaced: number; in_default: number }>(
      `SELECT count(*) FILTER (WHERE tableoid::regclass::text
                                     <> 'job_events_p' || to_char(job_created_at AT TIME ZONE 'UTC', 'YYYYMMDD'))::int
                AS misplaced,
              count(*) FILTER (WHERE tableoid::regclass::text = 'job_events_default')::int AS in_default
       FROM job_events`,
    );
    expect(placed[0]).toEqual({ misplaced: 0, in_default: 0 });
    // A fresh partition for today and each of the next seven days: no insert waits for the housekeeper.
    const days = await listEventPartitionDays(pool);
    const today = Date.now();
    for (let k = 0; k <= 7; k++) expect(days).toContain(new Date(today + k * DAY).toISOString().slice(0, 10));

    // The timeline of a migrated job reads as before (order, limit), from its one partition.
    const { rows: sample } = await pool.query<{ id: string; created_at: Date }>(
      `SELECT id::text, created_at FROM jobs ORDER BY created_at LIMIT 1`,
    );
    const job = sample[0];
    if (!job) throw new Error("no job");
    const expected = rowsBefore
      .filter((e) => e.job_id === job.id)
      .sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
    const timeline = await listJobEvents(db, { id: job.id, createdAt: job.created_at });
    expect(timeline.map((e) => e.id.toString())).toEqual(expected.map((e) => e.id));
    expect((await listJobEvents(db, { id: job.id, createdAt: job.created_at }, 2)).length).toBe(2);

    // The mirror replaying an event stored before the migration adds nothing; a new one lands next to it,
    // numbered after every migrated id (the sequence moved to the new table).
    const replay = { jobId: job.id, snapshot: jobSnapshot({ status: "completed", progress: 100 }), items: [] };
    const first = await applyMirrorBatch(pool, [
      { ...replay, seq: 1, timeline: [{ type: "started", data: {}, at: Date.now() }] },
    ]);
    expect(first.eventsInserted).toBe(0);
    const next = await applyMirrorBatch(pool, [
      { ...replay, seq: 9, timeline: [{ type: "step", data: {}, at: Date.now() }] },
    ]);
    expect(next.eventsInserted).toBe(1);
    const after = await listJobEvents(db, { id: job.id, createdAt: job.created_at });
    expect(after.length).toBe(expected.length + 1);
    const maxBefore = Math.max(...rowsBefore.map((e) => Number(e.id)));
    expect(Number(after.at(-1)?.id)).toBeGreaterThan(maxBefore);
  });
});
