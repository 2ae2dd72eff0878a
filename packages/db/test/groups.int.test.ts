import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import type pg from "pg";
import {
  applyMirrorBatch,
  createPool,
  inTransaction,
  insertPendingJobs,
  readGroupView,
  type JobSnapshot,
} from "../src/index";
import type { GroupView } from "@jobstream/contract";
import { jobSnapshot, newJobRow } from "../src/test-rows";
import { it } from "./fixtures";

const finished = (status: "completed" | "failed" | "cancelled", progress: number): JobSnapshot =>
  jobSnapshot({ status, progress, finishedAt: Date.now(), startedAt: Date.now() - 10 });

/** One job's snapshot applied as the mirror applies it (its own transaction). */
const apply = (pool: pg.Pool, jobId: string, seq: number, snapshot: JobSnapshot) =>
  inTransaction(pool, (c) => applyMirrorBatch(c, [{ jobId, seq, snapshot, items: [], timeline: [] }]));

/** The counts recomputed from `jobs`: what the triggers must always agree with. */
async function drift(pool: pg.Pool): Promise<unknown[]> {
  const { rows } = await pool.query<Record<string, unknown>>(`
    WITH truth AS (
      SELECT group_id, org_id, coalesce(user_id, '00000000-0000-0000-0000-000000000000') AS user_key, status,
             count(*)::int AS jobs, sum(progress_percent) AS progress_sum
      FROM jobs WHERE group_id IS NOT NULL GROUP BY 1, 2, 3, 4
    )
    SELECT * FROM truth t FULL JOIN group_counts c USING (group_id, org_id, user_key, status)
    WHERE coalesce(t.jobs, 0) <> coalesce(c.jobs, 0) OR coalesce(t.progress_sum, 0) <> coalesce(c.progress_sum, 0)`);
  return rows;
}

describe("group counts", () => {
  it("follow the mirror's writes, per owner and per org", async ({ pool }) => {
    const groupId = randomUUID();
    const [org, other, alice] = [randomUUID(), randomUUID(), randomUUID()];
    const mine = newJobRow({ orgId: org, userId: alice, groupId });
    const service = newJobRow({ orgId: org, groupId });
    const elsewhere = newJobRow({ orgId: other, userId: alice, groupId });
    await insertPendingJobs(pool, [mine, service, elsewhere, newJobRow({ orgId: org })]);

    await apply(pool, mine.id, 1, jobSnapshot({ progress: 40 }));
    await apply(pool, service.id, 1, finished("failed", 30));
    await apply(pool, elsewhere.id, 1, finished("cancelled", 10));
    const orgView = await readGroupView(pool, groupId, { orgId: org, userId: null });
    expect(orgView).toMatchObject({
      id: groupId,
      total: 2,
      counts: { running: 1, failed: 1, pending: 0, completed: 0 },
      progress: 35,
      finishedAt: null,
    });
    expect(await readGroupView(pool, groupId, { orgId: org, userId: alice })).toMatchObject({
      total: 1,
      progress: 40,
    });
    // Every org (services): the cancelled job counts 100.
    expect(await readGroupView(pool, groupId, { orgId: null, userId: null })).toMatchObject({
      total: 3,
      progress: 56.67,
    });
    expect(await readGroupView(pool, groupId, { orgId: org, userId: randomUUID() })).toBeNull();

    await apply(pool, mine.id, 2, finished("completed", 100));
    const done = await readGroupView(pool, groupId, { orgId: org, userId: null });
    expect(done).toMatchObject({ counts: { completed: 1, failed: 1, running: 0 }, progress: 65 });
    expect(done?.finishedAt).not.toBeNull();
    expect(await drift(pool)).toEqual([]);

    await pool.query(`DELETE FROM jobs WHERE group_id = $1`, [groupId]);
    expect(await readGroupView(pool, groupId, { orgId: null, userId: null })).toBeNull();
    const left = await pool.query(
      `SELECT 1 FROM group_counts WHERE group_id = $1 UNION ALL
                                   SELECT 1 FROM groups WHERE group_id = $1`,
      [groupId],
    );
    expect(left.rows).toEqual([]);
  });

  it("let concurrent batches of one group's jobs in any order commit without deadlocks", async ({ database, pool }) => {
    const org = randomUUID();
    const groupId = randomUUID();
    const users = [randomUUID(), randomUUID(), null];
    // Six writers with 40 jobs each; every round each moves its jobs (in a shuffled order) to a
    // random state: the counts rows they lock come in every order.
    const writers = Array.from({ length: 6 }, () =>
      Array.from({ length: 40 }, (_, i) => newJobRow({ orgId: org, userId: users[i % 3] ?? null, groupId })),
    );
    await insertPendingJobs(pool, writers.flat());
    const states: JobSnapshot[] = [
      jobSnapshot({ status: "queued", reopen: true }),
      jobSnapshot({ progress: 40 }),
      finished("completed", 100),
      finished("failed", 20),
    ];
    const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)] as T;
    const wide = createPool({ connectionString: database.url, max: 6 });
    try {
      for (let round = 1; round <= 6; round++)
        await Promise.all(
          writers.map((jobs) =>
            inTransaction(wide, (c) =>
              applyMirrorBatch(
                c,
                [...jobs]
                  .sort(() => Math.random() - 0.5)
                  .map((r) => ({ jobId: r.id, seq: round, snapshot: pick(states), items: [], timeline: [] })),
              ),
            ),
          ),
        );
    } finally {
      await wide.end();
    }
    expect(await drift(pool)).toEqual([]);
  });

  it("record group.completed exactly once per completion when the last jobs finish concurrently", async ({
    database,
    pool,
  }) => {
    const org = randomUUID();
    const groupId = randomUUID();
    const webhook = randomUUID();
    await pool.query(
      `INSERT INTO webhooks (id, org_id, url, events, secret)
       VALUES ($1, $2, 'https://x.example', '{group.completed}', 's')`,
      [webhook, org],
    );
    const rows = Array.from({ length: 24 }, (_, i) =>
      newJobRow({ orgId: org, userId: i % 2 ? randomUUID() : null, groupId }),
    );
    await insertPendingJobs(pool, rows);
    // Eight connections finish the jobs at once, one transaction each (as several mirrors and API
    // cancels would); three rounds, each reopening every job first (as a group retry does).
    const wide = createPool({ connectionString: database.url, max: 8 });
    try {
      for (let round = 1; round <= 3; round++) {
        const seq = round * 10;
        await Promise.all(rows.map((r) => apply(wide, r.id, seq, jobSnapshot({ status: "queued", reopen: true }))));
        await Promise.all(rows.map((r, i) => apply(wide, r.id, seq + 1, finished(i % 3 ? "completed" : "failed", 50))));
        const { rows: deliveries } = await pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM webhook_deliveries WHERE webhook_id = $1 AND group_id = $2`,
          [webhook, groupId],
        );
        expect(deliveries[0]?.n, `round ${round}`).toBe(round);
      }
    } finally {
      await wide.end();
    }
    const { rows: groups } = await pool.query(`SELECT unfinished, completions FROM groups WHERE group_id = $1`, [
      groupId,
    ]);
    expect(groups).toEqual([{ unfinished: 0, completions: 3 }]);
    // A new job reopens the finished group; its finish is the next completion.
    const late = newJobRow({ orgId: org, groupId });
    await insertPendingJobs(pool, [late]);
    expect((await readGroupView(pool, groupId, { orgId: org, userId: null }))?.finishedAt).toBeNull();
    await apply(pool, late.id, 1, finished("completed", 100));
    const { rows: all } = await pool.query<{ data: GroupView }>(
      `SELECT payload->'data' AS data FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY created_at`,
      [webhook],
    );
    expect(all.map((d) => d.data.total)).toEqual([24, 24, 24, 25]);
    expect(await drift(pool)).toEqual([]);
  });
});
