import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { describe, expect, test } from "vitest";
import { DELAYED_JOB_WITH_OPTIONS, PrivateRedis, System, waitFor } from "@jobstream/testing";
import { launchSystem } from "@jobstream/testing/fixtures";

/** A Redis of this file's own (`redis`), which the tests stop and start under a running system. */
const it = test
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from this pattern
  .extend("redis", { scope: "file" }, async ({}, { onCleanup }) => {
    const redis = await PrivateRedis.create();
    onCleanup(() => redis.destroy());
    return redis;
  })
  .extend("sys", { scope: "file" }, async ({ redis }, { onCleanup }) => {
    const { sys } = await launchSystem(new System(redis.url), onCleanup, async (s) => {
      await s.startApi();
      await s.startWorker("work,mirror,housekeep");
    });
    return sys;
  })
  .extend("member", { scope: "file" }, ({ sys }) =>
    sys.token({ sub: randomUUID(), org: randomUUID(), role: "member" }),
  );

describe("Redis down at enqueue", () => {
  it("answers actions that need Redis with 503 unavailable, not 500", async ({ sys, member, redis }) => {
    const job = await sys.enqueue(member, { type: "synthetic", subtype: "noop", input: {}, delayMs: 600_000 });
    await redis.stop();
    try {
      const res = await sys.request<{ error: { code: string } }>("POST", `/v1/jobs/${job.id}/cancel`, {
        token: member,
      });
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe("unavailable");
    } finally {
      await redis.start();
    }
  });

  it("answers 202 with a pending job that runs once Redis is back", async ({ sys, member, redis }) => {
    await redis.stop();
    const res = await sys.request<{ job: { id: string; status: string } }>("POST", "/v1/jobs", {
      token: member,
      body: { type: "synthetic", input: { items: 3 } },
    });
    expect(res.status).toBe(202);
    expect(res.body.job.status).toBe("pending");
    const [row] = await sys.query<{ status: string }>(`SELECT status::text FROM jobs WHERE id = $1`, [res.body.job.id]);
    expect(row?.status).toBe("pending");

    await redis.start();
    const done = await sys.waitForStatus(member, res.body.job.id, "completed", 60_000);
    expect(done.items).toEqual({ total: 3, processed: 3, failed: 0, skipped: 0 });
  });

  it("dispatches a pending job from the outbox with the options its request asked for", async ({
    sys,
    member,
    redis,
  }) => {
    await redis.stop();
    const res = await sys.request<{ job: { id: string; status: string } }>("POST", "/v1/jobs", {
      token: member,
      body: DELAYED_JOB_WITH_OPTIONS,
    });
    await redis.start();
    expect(res.status).toBe(202);
    expect(res.body.job.status).toBe("pending");
    const queue = new Queue("synthetic", { connection: { url: redis.url }, prefix: sys.prefix });
    try {
      const added = () => queue.getJob(res.body.job.id);
      const job = await waitFor("the outbox to add the job", added, { timeoutMs: 60_000 });
      expect(await job.getState()).toBe("delayed");
      const { orgId, ...data } = job.data as { orgId?: unknown };
      expect(data).toEqual({ type: "synthetic", subtype: "noop", input: {}, attemptBase: 0, timeoutMs: 5000 });
      expect(typeof orgId).toBe("string");
      expect(job.opts).toMatchObject({
        jobId: res.body.job.id,
        attempts: 2,
        backoff: { type: "exponential", delay: 70 },
      });
      // Fair share (on by default) turns the request's priority into its org's turn: a BullMQ priority all the same.
      expect(job.opts.priority).toBeGreaterThanOrEqual(1);
      expect(job.opts.delay).toBeGreaterThan(0);
    } finally {
      await queue.close();
    }
  });

  it("sends a flow stored while Redis was out whole: the parent still runs after its children", async ({
    sys,
    member,
    redis,
  }) => {
    await redis.stop();
    const child = (output: string) => ({ type: "synthetic", input: { durationMs: 200, output } });
    const res = await sys.request<{ job: { id: string; status: string }; children: { job: { status: string } }[] }>(
      "POST",
      "/v1/jobs",
      {
        token: member,
        body: {
          type: "synthetic",
          subtype: "gather",
          input: {},
          children: [child("a"), { type: "synthetic", subtype: "gather", input: {}, children: [child("b")] }],
        },
      },
    );
    await redis.start();
    expect(res.status).toBe(202);
    expect([res.body.job.status, ...res.body.children.map((c) => c.job.status)]).toEqual([
      "pending",
      "pending",
      "pending",
    ]);
    const done = await sys.waitForStatus(member, res.body.job.id, "completed", 60_000);
    const children = (done.output as { children: { status: string; output: unknown }[] }).children;
    expect(children.map((c) => c.status)).toEqual(["completed", "completed"]);
    expect(children[1]?.output).toEqual({ children: [expect.objectContaining({ output: { echo: "b", items: 0 } })] });
    const [parentStart] = await sys.query<{ at: Date }>(
      "SELECT min(created_at) AS at FROM job_events WHERE job_id = $1 AND type = 'started'",
      [res.body.job.id],
    );
    const [lastChildEnd] = await sys.query<{ at: Date }>(
      "SELECT max(completed_at) AS at FROM jobs WHERE parent_id = $1",
      [res.body.job.id],
    );
    expect(parentStart?.at.getTime()).toBeGreaterThanOrEqual(lastChildEnd?.at.getTime() ?? Infinity);
  });
});
