import { describe, expect } from "vitest";
import type pg from "pg";
import { it } from "./fixtures";
import {
  applyMirrorBatch,
  deleteExpiredJobs,
  insertPendingJobs,
  listEventPartitionDays,
  maintainEventPartitions,
  type MirrorEntry,
} from "../src/index";
import { jobSnapshot, newJobRow } from "../src/test-rows";

const DAY = 86_400_000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
// Noon UTC, so "n days ago" is the same calendar day however long the test takes.
const noon = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate(), 12);

/** Where each of the job's events is stored (partition names). */
async function placesOf(pool: pg.Pool, jobId: string): Promise<string[]> {
  const { rows } = await pool.query<{ part: string }>(
    `SELECT tableoid::regclass::text AS part FROM job_events WHERE job_id = $1 ORDER BY id`,
    [jobId],
  );
  return rows.map((r) => r.part);
}

/** Runs `body` while another transaction has inserted an event of `jobId` (uncommitted). */
async function whileInserting<T>(pool: pg.Pool, jobId: string, body: () => Promise<T>): Promise<T> {
  const writer = await pool.connect();
  try {
    await writer.query("BEGIN");
    await writer.query(
      `INSERT INTO job_events (job_id, type, job_created_at) SELECT id, 'started', created_at FROM jobs WHERE id = $1`,
      [jobId],
    );
    return await body();
  } finally {
    await writer.query("COMMIT");
    writer.release();
  }
}

const finished = (jobId: string, at: number): MirrorEntry => ({
  jobId,
  seq: 2,
  snapshot: jobSnapshot({ status: "completed", progress: 100, startedAt: at - 1000, finishedAt: at }),
  items: [],
  timeline: [
    { type: "started", data: {}, at: at - 1000 },
    { type: "completed", data: {}, at },
  ],
});

describe("job_events partitions follow job retention", () => {
  it("drops a day whole once its last job expired, keeps days a job still holds, and never fails an insert", async ({
    pool,
  }) => {
    await maintainEventPartitions(pool, { now: new Date(noon) });
    // Jobs of 40 and 20 days ago (no partition for those days yet: their events wait in the default
    // partition), one of today, one whose created_at is past the days made ahead.
    const old = newJobRow({ createdAt: new Date(noon - 40 * DAY), retentionSeconds: 60 });
    const held = newJobRow({ createdAt: new Date(noon - 20 * DAY), retentionSeconds: 60 });
    const recent = newJobRow({ createdAt: new Date(noon), retentionSeconds: 60 });
    const ahead = newJobRow({ createdAt: new Date(noon + 30 * DAY) });
    await insertPendingJobs(pool, [old, held, recent, ahead]);
    // Old and recent finished long enough ago to expire; held is still running.
    await applyMirrorBatch(pool, [finished(old.id, noon - 39 * DAY), finished(recent.id, Date.now() - 3_600_000)]);
    await applyMirrorBatch(pool, [{ ...finished(held.id, 0), seq: 1, snapshot: jobSnapshot(), timeline: [] }]);
    expect(await placesOf(pool, old.id)).toEqual(Array(3).fill("job_events_default"));
    expect(await placesOf(pool, ahead.id)).toEqual(["job_events_default"]);
    expect(await placesOf(pool, recent.id)).toEqual(Array(3).fill(`job_events_p${dayOf(noon).replaceAll("-", "")}`));

    // The housekeeper gives the waiting rows their days (and keeps days ahead).
    const first = await maintainEventPartitions(pool, { now: new Date(noon), createOnly: true });
    expect(first.created).toEqual(
      expect.arrayContaining([dayOf(noon - 40 * DAY), dayOf(noon - 20 * DAY), dayOf(noon + 30 * DAY)]),
    );
    expect(first.dropped).toEqual([]);
    expect(await placesOf(pool, old.id)).toEqual(
      Array(3).fill(`job_events_p${dayOf(noon - 40 * DAY).replaceAll("-", "")}`),
    );
    const { rows: waiting } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM job_events_default`);
    expect(waiting[0]?.n).toBe(0);

    // Nothing expired yet is touched: every past day still has its job.
    const idle = await maintainEventPartitions(pool, { now: new Date(noon) });
    expect(idle.dropped).toEqual([]);
    expect(idle.kept).toEqual(expect.arrayContaining([dayOf(noon - 40 * DAY), dayOf(noon - 20 * DAY)]));

    // The sweep deletes the expired jobs (old and recent); old's day goes whole, held's day and today stay.
    expect(await deleteExpiredJobs(pool, 1000)).toBe(2);
    const swept = await maintainEventPartitions(pool, { now: new Date(noon) });
    expect(swept.dropped).toEqual([dayOf(noon - 40 * DAY)]);
    expect(swept.kept).toContain(dayOf(noon - 20 * DAY));
    const days = await listEventPartitionDays(pool);
    expect(days).not.toContain(dayOf(noon - 40 * DAY));
    expect(days).toEqual(expect.arrayContaining([dayOf(noon - 20 * DAY), dayOf(noon), dayOf(noon + 7 * DAY)]));
    expect(await placesOf(pool, old.id)).toEqual([]);
    expect((await placesOf(pool, held.id)).length).toBe(1);
    // Today's partition is never dropped, even with its only job gone: its events wait for the day to pass.
    expect(await placesOf(pool, recent.id)).toHaveLength(3);

    // A late event of a job whose day was dropped (it was deleted meanwhile) is skipped, not a failure;
    // an insert for a day with no partition at all lands in the default partition.
    const lateApplied = await applyMirrorBatch(pool, [finished(old.id, noon)]);
    expect(lateApplied.missingJobIds).toEqual([old.id]);
    const stray = newJobRow({ createdAt: new Date(noon - 40 * DAY) });
    await insertPendingJobs(pool, [stray]);
    expect(await placesOf(pool, stray.id)).toEqual(["job_events_default"]);
  });

  it("keeps replays out once rows moved from the default partition to their day", async ({ pool }) => {
    const job = newJobRow({ createdAt: new Date(noon - 60 * DAY) });
    await insertPendingJobs(pool, [job]);
    const entry = finished(job.id, noon - 59 * DAY);
    expect((await applyMirrorBatch(pool, [entry])).eventsInserted).toBe(2);
    await maintainEventPartitions(pool, { now: new Date(noon), createOnly: true });
    expect((await applyMirrorBatch(pool, [entry])).eventsInserted).toBe(0);
    expect(await placesOf(pool, job.id)).toHaveLength(3);
  });

  it("makes new partitions with the CHECK constraints job_events has (ATTACH requires them)", async ({ pool }) => {
    await pool.query(`ALTER TABLE job_events ADD CONSTRAINT test_small_data CHECK (pg_column_size(data) < 100000)`);
    try {
      const later = newJobRow({ createdAt: new Date(noon + 90 * DAY) });
      await insertPendingJobs(pool, [later]);
      const upkeep = await maintainEventPartitions(pool, { now: new Date(noon), createOnly: true });
      expect(upkeep.created).toContain(dayOf(noon + 90 * DAY));
      expect(await placesOf(pool, later.id)).toEqual([`job_events_p${dayOf(noon + 90 * DAY).replaceAll("-", "")}`]);
    } finally {
      await pool.query(`ALTER TABLE job_events DROP CONSTRAINT test_small_data`);
    }
  });

  it("reports a day busy, without failing, while a writer holds its rows in the default partition", async ({
    pool,
  }) => {
    // A writer's uncommitted row of a day without partition: the move cannot see it, so the day must
    // not be attached (ATTACH would wait on it, then fail); the sweep skips it and the next one makes it.
    const job = newJobRow({ createdAt: new Date(noon - 100 * DAY) });
    await insertPendingJobs(pool, [job]);
    const during = await whileInserting(pool, job.id, () =>
      maintainEventPartitions(pool, { now: new Date(noon), createOnly: true }),
    );
    expect(during.busy).toContain(dayOf(noon - 100 * DAY));
    expect(during.created).not.toContain(dayOf(noon - 100 * DAY));
    expect(await placesOf(pool, job.id)).toEqual(Array(2).fill("job_events_default"));

    const after = await maintainEventPartitions(pool, { now: new Date(noon), createOnly: true });
    expect(after.created).toContain(dayOf(noon - 100 * DAY));
    expect(after.busy).toEqual([]);
    expect(await placesOf(pool, job.id)).toEqual(
      Array(2).fill(`job_events_p${dayOf(noon - 100 * DAY).replaceAll("-", "")}`),
    );
  });

  it("keeps a day a job still holds without locking job_events against writers", async ({ pool }) => {
    const job = newJobRow({ createdAt: new Date(noon - 80 * DAY) });
    await insertPendingJobs(pool, [job]);
    await maintainEventPartitions(pool, { now: new Date(noon), createOnly: true });
    // A writer in the middle of a transaction holds job_events against the exclusive lock a drop
    // takes: a kept day must not ask for it (it would time out and come back busy).
    const upkeep = await whileInserting(pool, job.id, () => maintainEventPartitions(pool, { now: new Date(noon) }));
    expect(upkeep.kept).toContain(dayOf(noon - 80 * DAY));
    expect(upkeep.busy).not.toContain(dayOf(noon - 80 * DAY));
    expect(await listEventPartitionDays(pool)).toContain(dayOf(noon - 80 * DAY));
  });
});
