import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { it } from "./fixtures";
import type pg from "pg";
import { applyMirrorBatch, inTransaction, insertPendingJobs, type JobSnapshot, type MirrorEntry } from "../src/index";
import { jobSnapshot, newJobRow } from "../src/test-rows";

const t0 = Date.parse("2026-11-22T10:00:00Z");
const snap = (over: Partial<JobSnapshot>) => jobSnapshot({ startedAt: t0, ...over });

/** An entry with a snapshot and timeline but no items. */
const entry = (jobId: string, seq: number, snapshot: JobSnapshot, timeline: MirrorEntry["timeline"] = []) => ({
  jobId,
  seq,
  snapshot,
  items: [],
  timeline,
});
const apply = (pool: pg.Pool, entries: MirrorEntry[]) => inTransaction(pool, (c) => applyMirrorBatch(c, entries));

async function state(pool: pg.Pool, id: string) {
  const job = await pool.query(`SELECT *, xmin::text AS version FROM jobs WHERE id = $1`, [id]);
  const items = await pool.query(`SELECT *, xmin::text AS version FROM job_items WHERE job_id = $1 ORDER BY ref`, [id]);
  const events = await pool.query(`SELECT type, seq::int, data FROM job_events WHERE job_id = $1 ORDER BY id`, [id]);
  return {
    job: job.rows[0] as Record<string, unknown>,
    items: items.rows,
    events: events.rows as { type: string; seq: number | null }[],
  };
}

function lifecycle(id: string): MirrorEntry[] {
  const items = (from: number, to: number, attempt = 1) =>
    Array.from({ length: to - from }, (_, k) => {
      const i = from + k;
      return {
        ref: `item-${i}`,
        status: i % 4 === 3 ? ("error" as const) : ("success" as const),
        message: null,
        errorCode: i % 4 === 3 ? "bad" : null,
        before: null,
        after: { i },
        attempt,
        at: t0 + i,
      };
    });
  return [
    { jobId: id, seq: 1, snapshot: snap({}), items: [], timeline: [{ type: "started", data: { attempt: 1 }, at: t0 }] },
    {
      jobId: id,
      seq: 3,
      snapshot: snap({ progress: 40, step: "b", message: "half" }),
      items: items(0, 6),
      timeline: [
        { type: "step", data: { step: "a" }, at: t0 + 1 },
        { type: "step", data: { step: "b" }, at: t0 + 2 },
      ],
    },
    {
      jobId: id,
      seq: 4,
      snapshot: snap({
        status: "completed",
        progress: 100,
        output: { ok: true },
        finishedAt: t0 + 500,
        durationMs: 500,
      }),
      items: items(6, 10),
      timeline: [{ type: "completed", data: {}, at: t0 + 500 }],
    },
  ];
}

describe("applyMirrorBatch", () => {
  it("applies a lifecycle in one batch: final snapshot, items, counters, timeline", async ({ pool }) => {
    const r = newJobRow();
    await insertPendingJobs(pool, [r]);
    await apply(pool, lifecycle(r.id));
    const s = await state(pool, r.id);
    expect(s.job).toMatchObject({
      status: "completed",
      attempts: 1,
      output: { ok: true },
      processed_items: 10,
      failed_items: 2,
      skipped_items: 0,
      total_items: 10,
      duration_ms: 500,
    });
    expect(Number(s.job.progress_percent)).toBe(100);
    expect(s.items).toHaveLength(10);
    expect(s.events.map((e) => `${e.type}:${String(e.seq)}`)).toEqual([
      "created:null",
      "started:1",
      "step:2",
      "step:3",
      "completed:4",
    ]);
  });

  it("changes nothing when the same events are applied again, in any order", async ({ pool }) => {
    const r = newJobRow();
    await insertPendingJobs(pool, [r]);
    const entries = lifecycle(r.id);
    for (const e of entries) await apply(pool, [e]);
    const before = await state(pool, r.id);
    await apply(pool, entries);
    await apply(pool, [...entries].reverse());
    for (const e of [...entries].reverse()) await apply(pool, [e]);
    expect(await state(pool, r.id)).toEqual(before);
  });

  it("never moves a job backwards when events arrive late", async ({ pool }) => {
    const r = newJobRow();
    await insertPendingJobs(pool, [r]);
    const [started, middle, done] = lifecycle(r.id);
    if (!started || !middle || !done) throw new Error("fixture");
    await apply(pool, [done]);
    await apply(pool, [started]);
    await apply(pool, [middle]);
    const s = await state(pool, r.id);
    expect(s.job.status).toBe("completed");
    expect(s.job.processed_items).toBe(10);
    expect(s.events.map((e) => e.seq)).toEqual([null, 4, 1, 2, 3]);
  });

  it("lets a later attempt update its items and keeps counters equal to rows", async ({ pool }) => {
    const r = newJobRow();
    await insertPendingJobs(pool, [r]);
    await apply(pool, [
      {
        jobId: r.id,
        seq: 1,
        snapshot: snap({}),
        items: [
          { ref: "a", status: "error", message: "x", errorCode: "bad", before: null, after: null, attempt: 1, at: t0 },
          {
            ref: "b",
            status: "skipped",
            message: "dup",
            errorCode: null,
            before: null,
            after: null,
            attempt: 1,
            at: t0,
          },
        ],
        timeline: [],
      },
    ]);
    await apply(pool, [
      {
        jobId: r.id,
        seq: 2,
        snapshot: snap({ attempts: 2 }),
        items: [
          {
            ref: "a",
            status: "success",
            message: null,
            errorCode: null,
            before: { v: 1 },
            after: { v: 2 },
            attempt: 2,
            at: t0 + 9,
          },
        ],
        timeline: [],
      },
    ]);
    // A late outcome of attempt 1 does not overwrite attempt 2.
    await apply(pool, [
      {
        jobId: r.id,
        seq: 1,
        snapshot: null,
        items: [
          {
            ref: "a",
            status: "error",
            message: "late",
            errorCode: "bad",
            before: null,
            after: null,
            attempt: 1,
            at: t0,
          },
        ],
        timeline: [],
      },
    ]);
    const s = await state(pool, r.id);
    expect(s.items.map((i: { ref: string; status: string; attempt: number }) => [i.ref, i.status, i.attempt])).toEqual([
      ["a", "success", 2],
      ["b", "skipped", 1],
    ]);
    expect(s.job).toMatchObject({ processed_items: 2, failed_items: 0, skipped_items: 1, total_items: 2, attempts: 2 });
  });

  it("keeps a declared total and only reopens a final job on retry", async ({ pool }) => {
    const r = newJobRow();
    await insertPendingJobs(pool, [r]);
    const error = { code: "boom", message: "no", stack: "s" };
    await apply(pool, [entry(r.id, 2, snap({ status: "failed", total: 50, error, finishedAt: t0 + 5 }))]);
    await apply(pool, [entry(r.id, 3, snap({ status: "running" }))]);
    expect((await state(pool, r.id)).job).toMatchObject({
      status: "failed",
      total_items: 50,
      error_code: "boom",
      last_event_seq: "2",
    });
    const retried = [{ type: "retried" as const, data: {}, at: t0 + 9 }];
    await apply(pool, [entry(r.id, 4, snap({ status: "queued", startedAt: null, reopen: true }), retried)]);
    expect((await state(pool, r.id)).job).toMatchObject({
      status: "queued",
      error_code: null,
      completed_at: null,
      started_at: null,
      total_items: 50,
    });
  });

  it("ignores events of jobs that no longer exist, and names those jobs (the mirror dead-letters them)", async ({
    pool,
  }) => {
    const ghost = randomUUID();
    const result = await apply(pool, [
      {
        jobId: ghost,
        seq: 1,
        snapshot: snap({}),
        items: [
          {
            ref: "x",
            status: "success",
            message: null,
            errorCode: null,
            before: null,
            after: null,
            attempt: 1,
            at: t0,
          },
        ],
        timeline: [{ type: "started", data: {}, at: t0 }],
      },
    ]);
    expect(result).toEqual({ jobsUpdated: 0, itemsWritten: 0, eventsInserted: 0, missingJobIds: [ghost] });
  });
});
