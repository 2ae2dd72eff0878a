import { Redis } from "ioredis";
import { describe, expect } from "vitest";
import { deletePrefix, waitFor, type AppProcess, type System } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";

// Two `work` processes (one gets killed), a mirror and a housekeeper whose reconciler re-creates flows.
const it = systemTest(async (sys) => {
  await sys.startApi();
  await sys.startWorker("mirror,housekeep");
  return sys.startWorkers(2, "work", { LOG_LEVEL: "debug" });
});

interface Answer {
  job: { id: string };
  children: { job: { id: string } }[];
}

/** How many timeline events of `type` each job has. */
async function eventCounts(sys: System, ids: string[], type: string): Promise<number[]> {
  const rows = await sys.query<{ id: string; n: number }>(
    `SELECT j.id::text, count(e.id)::int AS n FROM jobs j
     LEFT JOIN job_events e ON e.job_id = j.id AND e.type = $2::job_event_type
     WHERE j.id = ANY($1::uuid[]) GROUP BY j.id`,
    [ids, type],
  );
  const byId = new Map(rows.map((r) => [r.id, r.n]));
  return ids.map((id) => byId.get(id) ?? 0);
}

/** Enqueues a `synthetic/gather` parent with these children (synthetic/work bodies). */
async function enqueueGather(sys: System, token: string, children: Record<string, unknown>[]): Promise<Answer> {
  const res = await sys.request<Answer>("POST", "/v1/jobs", {
    token,
    body: { type: "synthetic", subtype: "gather", input: {}, children },
  });
  expect(res.status).toBe(202);
  return res.body;
}

const alive = (w: AppProcess) => w.child.exitCode === null && w.child.signalCode === null;

describe("flows survive failures", () => {
  it("a worker killed while children run: every job completes exactly once, the parent once", async ({
    sys,
    member,
    started: workers,
  }) => {
    const flow = await enqueueGather(
      sys,
      member,
      Array.from({ length: 6 }, (_, i) => ({
        type: "synthetic",
        input: { durationMs: 4000, items: 4, steps: ["a", "b"], output: i },
      })),
    );
    const parent = flow.job.id;
    const children = flow.children.map((c) => c.job.id);
    const first = String(children[0]);
    const holder = await waitFor("a worker to start a child", () =>
      workers.find((w) => alive(w) && w.output().includes(`"jobId":"${first}"`)),
    );
    await sys.waitForStatus(member, first, "running");
    holder.kill("SIGKILL");
    await holder.exited();

    const done = await sys.waitForStatus(member, parent, "completed", 90_000);
    expect((done.output as { children: { status: string; output: unknown }[] }).children).toEqual(
      children.map((_, i) => ({ id: children[i], status: "completed", output: { echo: i, items: 4 } })),
    );
    expect(await eventCounts(sys, children, "completed")).toEqual(children.map(() => 1));
    expect(await eventCounts(sys, [parent], "completed")).toEqual([1]);
    // The parent ran once: after its last child, never while one was being re-run.
    expect(await eventCounts(sys, [parent], "started")).toEqual([1]);
    const items = await sys.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM job_items WHERE job_id = ANY($1::uuid[])",
      [children],
    );
    expect(items[0]?.n).toBe(24);
  });

  it("re-creates a flow from Postgres when its Redis keys are deleted, without re-running finished children", async ({
    sys,
    member,
  }) => {
    const flow = await enqueueGather(sys, member, [
      { type: "synthetic", input: { output: "early" } },
      { type: "synthetic", input: { durationMs: 6000, output: "late" } },
    ]);
    const parent = flow.job.id;
    const [early, late] = flow.children.map((c) => c.job.id);
    await sys.waitForStatus(member, String(early), "completed");
    await sys.waitForStatus(member, String(late), "running");
    expect(await deletePrefix(sys.prefix, sys.redisUrl)).toBeGreaterThan(0);

    const done = await sys.waitForStatus(member, parent, "completed", 90_000);
    expect(done.output).toEqual({
      children: [
        { id: early, status: "completed", output: { echo: "early", items: 0 } },
        { id: late, status: "completed", output: { echo: "late", items: 0 } },
      ],
    });
    // The parent came back through the reconciler; the finished child was not run again.
    expect(await eventCounts(sys, [parent], "requeued")).toEqual([1]);
    expect(await eventCounts(sys, [String(early)], "started")).toEqual([1]);
    expect(await eventCounts(sys, [parent], "completed")).toEqual([1]);
  });

  it("releases a parent left waiting in Redis for a child whose keys alone were lost", async ({ sys, member }) => {
    const flow = await enqueueGather(sys, member, [
      { type: "synthetic", subtype: "noop", input: {}, delayMs: 3_600_000, name: "forgotten" },
    ]);
    const child = String(flow.children[0]?.job.id);
    await sys.waitForStatus(member, child, "delayed");
    // The child ends in Postgres while its Redis keys vanish on their own: BullMQ's parent would wait for ever.
    await sys.query("UPDATE jobs SET status = 'cancelled', cancelled_at = now() WHERE id = $1", [child]);
    const redis = new Redis(sys.redisUrl);
    try {
      await redis.del(`${sys.prefix}:synthetic:${child}`);
      await redis.zrem(`${sys.prefix}:synthetic:delayed`, child);
    } finally {
      redis.disconnect();
    }
    const failed = await sys.waitForStatus(member, flow.job.id, "failed", 60_000);
    expect(failed.error).toEqual({ code: "child_failed", message: `child ${child} "forgotten" was cancelled` });
    expect(await eventCounts(sys, [flow.job.id], "requeued")).toEqual([1]);
  });
});
