import { describe, expect } from "vitest";
import type pg from "pg";
import { applyMirrorBatch, inTransaction, insertJobs, revertToPending, type NewJobStatus } from "../src/index";
import { jobSnapshot, newJobRow } from "../src/test-rows";
import { it } from "./fixtures";

async function stateOf(pool: pg.Pool, id: string) {
  const { rows } = await pool.query<{ status: string; queued: boolean; version: string; events: string[] }>(
    `SELECT j.status, j.queued_at IS NOT NULL AS queued, j.version::text,
            ARRAY(SELECT e.type::text FROM job_events e WHERE e.job_id = j.id ORDER BY e.created_at, e.id) AS events
     FROM jobs j WHERE j.id = $1`,
    [id],
  );
  return rows[0];
}

describe("storing new jobs", () => {
  it("stores each job as the status it is given, with its events in order, in one statement", async ({ pool }) => {
    const rows = [newJobRow(), newJobRow(), newJobRow(), newJobRow()];
    const statuses: NewJobStatus[] = ["pending", "queued", "delayed", "waiting_children"];
    const statusOf = new Map(rows.map((r, i) => [r.id, statuses[i] ?? "pending"]));
    const inserted = await insertJobs(pool, rows, (r) => statusOf.get(r.id) ?? "pending");
    expect(inserted).toEqual(new Set(rows.map((r) => r.id)));
    const states = await Promise.all(rows.map((r) => stateOf(pool, r.id)));
    expect(states).toEqual([
      { status: "pending", queued: false, version: "0", events: ["created"] },
      { status: "queued", queued: true, version: "0", events: ["created", "queued"] },
      { status: "delayed", queued: true, version: "0", events: ["created", "delayed"] },
      { status: "waiting_children", queued: true, version: "0", events: ["created", "queued"] },
    ]);
  });

  it("moves jobs whose add to Redis failed back to pending, and leaves one a worker moved on", async ({ pool }) => {
    const [lost, delayed, started] = [newJobRow(), newJobRow(), newJobRow()];
    await insertJobs(pool, [lost, delayed, started], (r) => (r.id === delayed.id ? "delayed" : "queued"));
    // A worker got `started` before the add failed (part of a flow reached Redis): the mirror moved it.
    await inTransaction(pool, (c) =>
      applyMirrorBatch(c, [
        {
          jobId: started.id,
          seq: 1,
          snapshot: jobSnapshot({ status: "running" }),
          items: [],
          timeline: [{ type: "started", data: {}, at: Date.now() }],
        },
      ]),
    );
    const moved = await revertToPending(pool, [lost.id, delayed.id, started.id]);
    expect(moved).toEqual(
      new Map([
        [lost.id, 1n],
        [delayed.id, 1n],
      ]),
    );
    expect(await stateOf(pool, lost.id)).toEqual({
      status: "pending",
      queued: false,
      version: "1",
      events: ["created"],
    });
    expect(await stateOf(pool, delayed.id)).toEqual({
      status: "pending",
      queued: false,
      version: "1",
      events: ["created"],
    });
    expect(await stateOf(pool, started.id)).toMatchObject({
      status: "running",
      events: ["created", "queued", "started"],
    });
  });

  it("skips a job whose idempotency key its org already used", async ({ pool }) => {
    const first = newJobRow({ idempotencyKey: "same" });
    const again = newJobRow({ orgId: first.orgId, idempotencyKey: "same" });
    expect(await insertJobs(pool, [first], () => "queued")).toEqual(new Set([first.id]));
    expect(await insertJobs(pool, [again], () => "queued")).toEqual(new Set());
    expect(await revertToPending(pool, [])).toEqual(new Map());
  });
});
