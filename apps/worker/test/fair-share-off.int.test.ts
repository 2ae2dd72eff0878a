import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { fairShareKeys, toBullPriority } from "@jobstream/queue";
import { waitFor } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";
import { openQueue } from "./bull-queue";
import { systemRedis } from "./system-redis";

// FAIR_SHARE=false in every process that adds jobs; one job at a time, so the rows' start times
// are the order the queue handed the jobs out in.
const it = systemTest(async (sys) => {
  const off = { FAIR_SHARE: "false" };
  await sys.startApi(off);
  await sys.startWorker("work,mirror", { ...off, CONCURRENCY_SYNTHETIC: "1" });
}).extend("redis", { scope: "file" }, systemRedis);

describe("fair share off (FAIR_SHARE=false)", () => {
  it("runs jobs first-come-first-served across orgs, each at its request's own priority", async ({ sys, redis }) => {
    const [a, b, c] = await Promise.all(
      [0, 1, 2].map(() => sys.token({ sub: randomUUID(), org: randomUUID(), role: "member" })),
    );
    if (a === undefined || b === undefined || c === undefined) throw new Error("three tokens");
    // Long enough that starts never share a millisecond, short enough to stay quick.
    const work = (priority: number) => ({ type: "synthetic", subtype: "work", priority, input: { durationMs: 20 } });
    const { queue, close } = openQueue(sys, "synthetic");
    try {
      // Paused, the whole backlog is in the queue before anything starts: the order is the queue's.
      await queue.pause();
      const aIds = await sys.enqueueMany(a, 20, () => work(30));
      const bIds = await sys.enqueueMany(b, 5, () => work(30));
      // A third org's urgent job, enqueued last: across orgs, priority orders jobs again.
      const [urgent] = await sys.enqueueMany(c, 1, () => work(90));
      if (urgent === undefined) throw new Error("no urgent job");

      const priorities = await Promise.all([...aIds, ...bIds].map(async (id) => (await queue.getJob(id))?.priority));
      expect(new Set(priorities)).toEqual(new Set([toBullPriority(30)]));
      expect((await queue.getJob(urgent))?.priority).toBe(toBullPriority(90));
      // The fair-share script never ran for the queue: it keeps no state there.
      const fairState = fairShareKeys.state(redis.keys.bullPrefix("synthetic"), "synthetic");
      expect(await redis.client.exists(fairState)).toBe(0);
      await queue.resume();

      const ids = [urgent, ...aIds, ...bIds];
      await waitFor(
        "every job to complete",
        async () => ((await sys.countInStatus(ids, "completed")) === ids.length ? true : undefined),
        { timeoutMs: 60_000, intervalMs: 100 },
      );
      const started = await sys.query<{ id: string }>(
        `SELECT id::text FROM jobs WHERE id = ANY($1::uuid[]) ORDER BY started_at, id`,
        [ids],
      );
      // The urgent job first, then A's backlog in enqueue order, and only then B's jobs.
      expect(started.map((r) => r.id)).toEqual(ids);
    } finally {
      await close();
    }
  });
});
