import { describe, expect } from "vitest";
import { insertJobs } from "@jobstream/db";
import { newJobRow } from "@jobstream/db/testing";
import { waitFor } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";

// The API stores a job as `queued` in the statement that inserts it, then adds it to Redis
// (packages/queue/src/enqueue.ts). An API process that dies between the two leaves a row that says
// `queued` with nothing in Redis: the reconciler finds it missing from BullMQ and adds it from the row.
const it = systemTest(async (sys) => {
  await sys.startWorker("work,mirror,housekeep");
});

describe("an API process that died between storing a job and adding it to Redis", () => {
  it("leaves a queued row the reconciler adds again, and the job runs once", async ({ sys }) => {
    const row = newJobRow({ subtype: "noop", input: { items: 2 }, maxAttempts: 1 });
    expect(await insertJobs(sys.pool, [row], () => "queued")).toEqual(new Set([row.id]));
    await waitFor(
      "the job to complete",
      async () => ((await sys.countInStatus([row.id], "completed")) === 1 ? true : undefined),
      { timeoutMs: 60_000 },
    );
    const [job] = await sys.query<{ attempts: number; processed_items: number; events: string[] }>(
      `SELECT attempts, processed_items,
              ARRAY(SELECT type::text FROM job_events WHERE job_id = $1 ORDER BY created_at, seq NULLS FIRST, id) AS events
       FROM jobs WHERE id = $1`,
      [row.id],
    );
    expect(job).toEqual({
      attempts: 1,
      processed_items: 2,
      events: ["created", "queued", "requeued", "started", "completed"],
    });
  });
});
