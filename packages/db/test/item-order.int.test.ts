import { describe, expect } from "vitest";
import type pg from "pg";
import {
  applyMirrorBatch,
  inTransaction,
  insertPendingJobs,
  listJobItems,
  type Db,
  type ItemCursor,
  type ItemOutcome,
  type JobItemStatusName,
  type MirrorEntry,
} from "../src/index";
import { jobSnapshot, newJobRow } from "../src/test-rows";
import { it } from "./fixtures";

const t0 = Date.parse("2026-11-29T10:00:00Z");

/** Outcomes of `refs` in that order; every third one an error. */
const outcomes = (indices: readonly number[], attempt = 1): ItemOutcome[] =>
  indices.map((i) => ({
    ref: `item-${String(i)}`,
    status: i % 3 === 2 ? "error" : "success",
    message: null,
    errorCode: i % 3 === 2 ? "bad" : null,
    attempt,
    at: t0 + i,
  }));

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => from + k);

const apply = (pool: pg.Pool, entries: MirrorEntry[]) => inTransaction(pool, (c) => applyMirrorBatch(c, entries));

/** Every ref of a job's items, read page by page as the API pages them. */
async function allRefs(db: Db, jobId: string, status?: JobItemStatusName): Promise<string[]> {
  const refs: string[] = [];
  let after: ItemCursor | undefined;
  for (;;) {
    const page = await listJobItems(db, jobId, { status, after, limit: 4 });
    refs.push(...page.items.map((i) => i.ref));
    if (page.next === null) return refs;
    after = page.next;
  }
}

describe("a job's items", () => {
  it("are listed in the order they were reported, across batches and pages, not in string order", async ({
    pool,
    db,
  }) => {
    const job = newJobRow();
    await insertPendingJobs(pool, [job]);
    // Two entries in one batch, then a later batch that re-reports item-3 on attempt 2.
    await apply(pool, [
      { jobId: job.id, seq: 1, snapshot: jobSnapshot(), items: outcomes(range(0, 7)), timeline: [] },
      { jobId: job.id, seq: 2, snapshot: jobSnapshot(), items: outcomes(range(7, 12)), timeline: [] },
    ]);
    await apply(pool, [
      {
        jobId: job.id,
        seq: 3,
        snapshot: jobSnapshot({ attempts: 2 }),
        items: outcomes([...range(12, 21), 3], 2),
        timeline: [],
      },
    ]);
    const reported = range(0, 21).map((i) => `item-${String(i)}`);
    // item-3 keeps the place it was first reported in.
    expect(await allRefs(db, job.id)).toEqual(reported);
    expect(await allRefs(db, job.id, "error")).toEqual(reported.filter((_, i) => i % 3 === 2));
  });
});

describe("items of several jobs in one batch", () => {
  it("number each job's new items from that job's own last one", async ({ pool, db }) => {
    const [a, b] = [newJobRow(), newJobRow()];
    await insertPendingJobs(pool, [a, b]);
    await apply(pool, [{ jobId: a.id, seq: 1, snapshot: jobSnapshot(), items: outcomes(range(0, 5)), timeline: [] }]);
    // b has no items yet; a continues after its 5; the entries interleave.
    await apply(pool, [
      { jobId: b.id, seq: 1, snapshot: jobSnapshot(), items: outcomes(range(0, 3)), timeline: [] },
      { jobId: a.id, seq: 2, snapshot: jobSnapshot(), items: outcomes(range(5, 9)), timeline: [] },
      { jobId: b.id, seq: 2, snapshot: jobSnapshot(), items: outcomes(range(3, 6)), timeline: [] },
    ]);
    const refs = (from: number, to: number) => range(from, to).map((i) => `item-${String(i)}`);
    expect(await allRefs(db, a.id)).toEqual(refs(0, 9));
    expect(await allRefs(db, b.id)).toEqual(refs(0, 6));
    const { rows } = await pool.query<{ job_id: string; ordinals: string[] }>(
      `SELECT job_id::text, array_agg(ordinal::text ORDER BY ordinal) AS ordinals FROM job_items
       WHERE job_id = ANY($1::uuid[]) GROUP BY job_id`,
      [[a.id, b.id]],
    );
    // Distinct within each job (gaps are allowed).
    for (const row of rows) expect(new Set(row.ordinals).size).toBe(row.ordinals.length);
  });
});
