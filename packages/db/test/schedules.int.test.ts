import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createPool,
  deleteSchedule,
  ensureSchedule,
  findScheduleById,
  insertSchedule,
  listActiveSchedules,
  listSchedules,
  recordScheduleRun,
  updateSchedule,
  type NewScheduleRow,
} from "../src/index";
import { createTestDatabase, type TestDatabase } from "../src/test-database";
import { ADMIN_URL } from "./env";

let database: TestDatabase;
let pool: ReturnType<typeof createPool>;

beforeAll(async () => {
  database = await createTestDatabase(ADMIN_URL);
  pool = createPool({ connectionString: database.url, max: 2 });
});
afterAll(async () => {
  await pool.end();
  await database.drop();
});

const schedule = (overrides: Partial<NewScheduleRow> = {}): NewScheduleRow => ({
  id: randomUUID(),
  orgId: randomUUID(),
  userId: null,
  name: "test schedule",
  cron: null,
  everyMs: 60_000,
  timezone: "UTC",
  job: { type: "synthetic", subtype: "noop", name: "n", input: {} },
  startAt: null,
  endAt: null,
  paused: false,
  ...overrides,
});

describe("schedules repository", () => {
  it("refuses both and neither of cron and every_ms (CHECK)", async () => {
    await expect(insertSchedule(pool, schedule({ cron: "* * * * *" }))).rejects.toMatchObject({ code: "23514" });
    await expect(insertSchedule(pool, schedule({ everyMs: null }))).rejects.toMatchObject({ code: "23514" });
  });

  it("ensures a schedule once: a second ensure keeps the stored row (an operator's pause survives)", async () => {
    const row = schedule();
    expect((await ensureSchedule(pool, row)).paused).toBe(false);
    await updateSchedule(pool, row.id, { ...row, paused: true });
    const again = await ensureSchedule(pool, { ...row, everyMs: 5000 });
    expect([again.paused, again.everyMs, again.revision]).toEqual([true, 60_000, 2]);
  });

  it("records runs without moving the last run backwards", async () => {
    const row = await insertSchedule(pool, schedule());
    const job = randomUUID();
    await recordScheduleRun(pool, row.id, { at: new Date(2000), jobId: job, nextRunAt: new Date(3000) });
    await recordScheduleRun(pool, row.id, { at: new Date(1000), jobId: randomUUID(), nextRunAt: new Date(2000) });
    const read = await findScheduleById(pool, row.id);
    expect([read?.lastRunAt?.getTime(), read?.lastJobId, read?.nextRunAt?.getTime()]).toEqual([2000, job, 3000]);
  });

  it("lists active schedules (not paused, not ended) and pages a scope newest first", async () => {
    const org = randomUUID();
    const user = randomUUID();
    const active = await insertSchedule(pool, schedule({ orgId: org, userId: user }));
    const paused = await insertSchedule(pool, schedule({ orgId: org, paused: true }));
    const ended = await insertSchedule(pool, schedule({ orgId: org, endAt: new Date(Date.now() - 1000) }));
    const ids = (await listActiveSchedules(pool)).map((s) => s.id);
    expect(ids).toContain(active.id);
    expect(ids).not.toContain(paused.id);
    expect(ids).not.toContain(ended.id);
    const first = await listSchedules(pool, { orgId: org, userId: null }, { limit: 2 });
    const second = await listSchedules(
      pool,
      { orgId: org, userId: null },
      { limit: 2, after: first.next ?? undefined },
    );
    expect([first.rows.length, second.rows.length, second.next]).toEqual([2, 1, null]);
    // Newest first, ties (same millisecond) broken by id, across the page boundary.
    const paged = [...first.rows, ...second.rows];
    const newestFirst = [...paged].sort(
      (a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1),
    );
    expect(paged.map((s) => s.id)).toEqual(newestFirst.map((s) => s.id));
    expect(new Set(paged.map((s) => s.id))).toEqual(new Set([active.id, paused.id, ended.id]));
    const mine = await listSchedules(pool, { orgId: org, userId: user }, { limit: 10 });
    expect(mine.rows.map((s) => s.id)).toEqual([active.id]);
  });

  it("leaves a deleted schedule's runs in place, unlinked", async () => {
    const row = await insertSchedule(pool, schedule());
    const job = randomUUID();
    await pool.query(
      `INSERT INTO jobs (id, org_id, type, subtype, name, queue, max_attempts, input, schedule_id)
       VALUES ($1, $2, 'synthetic', 'noop', 'run', 'synthetic', 1, '{}', $3)`,
      [job, row.orgId, row.id],
    );
    expect(await deleteSchedule(pool, row.id)).toBe(true);
    expect(await deleteSchedule(pool, row.id)).toBe(false);
    const { rows } = await pool.query<{ schedule_id: string | null }>(`SELECT schedule_id FROM jobs WHERE id = $1`, [
      job,
    ]);
    expect(rows).toEqual([{ schedule_id: null }]);
  });
});
