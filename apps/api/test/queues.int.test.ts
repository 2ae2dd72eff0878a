import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import type { QueueAnswer, QueueList, QueueStatsAnswer } from "@jobstream/contract";
import { systemTest } from "@jobstream/testing/fixtures";

const org = randomUUID();

/** An API, a worker, an operator and a member. */
const it = systemTest(async (sys) => {
  await sys.startApi();
  await sys.startWorker("work,mirror");
  return {
    operator: await sys.token({ sub: randomUUID(), org: randomUUID(), role: "operator" }),
    member: await sys.token({ sub: randomUUID(), org, role: "member" }),
  };
});

describe("/v1/queues", () => {
  it("pauses a queue for every worker and says so everywhere, then resumes it", async ({ sys, started }) => {
    const { operator, member } = started;
    const list = await sys.request<QueueList>("GET", "/v1/queues", { token: operator });
    expect(list.status).toBe(200);
    const synthetic = list.body.queues.find((q) => q.name === "synthetic");
    expect(synthetic).toMatchObject({ paused: false, changedAt: null });
    expect(synthetic?.workers).toBeGreaterThanOrEqual(1);
    expect(synthetic?.counts).toMatchObject({ active: 0 });

    const paused = await sys.request<QueueAnswer>("POST", "/v1/queues/synthetic/pause", { token: operator });
    expect(paused.status).toBe(200);
    expect(paused.body.queue).toMatchObject({ name: "synthetic", paused: true });
    expect(paused.body.queue.changedAt).not.toBeNull();
    // The stats the dashboard shows say it too.
    const stats = await sys.request<QueueStatsAnswer>("GET", "/v1/stats/queues", { token: operator });
    expect(stats.body.queueStates.find((s) => s.queue === "synthetic")?.paused).toBe(true);

    // A job enqueued meanwhile waits in the paused queue, and runs once it is resumed.
    const job = await sys.enqueue(member, { type: "synthetic", subtype: "noop", input: {} });
    const waiting = await sys.request<QueueList>("GET", "/v1/queues", { token: operator });
    const counts = waiting.body.queues.find((q) => q.name === "synthetic")?.counts;
    expect((counts?.waiting ?? 0) + (counts?.prioritized ?? 0)).toBeGreaterThanOrEqual(1);
    expect((await sys.request<{ status: string }>("GET", `/v1/jobs/${job.id}`, { token: member })).body.status).toBe(
      "queued",
    );
    const resumed = await sys.request<QueueAnswer>("POST", "/v1/queues/synthetic/resume", { token: operator });
    expect(resumed.body.queue.paused).toBe(false);
    await sys.waitForStatus(member, job.id, "completed");
    // The finish rate counts it: one job over the 5 minutes averaged.
    const after = await sys.request<QueueList>("GET", "/v1/queues", { token: operator });
    expect(after.body.queues.find((q) => q.name === "synthetic")?.ratePerMinute.completed).toBeGreaterThanOrEqual(0.2);
  });

  it("answers 404 for a queue that does not exist and 400 for a name that cannot be one", async ({ sys, started }) => {
    const missing = await sys.request<{ error: { code: string } }>("POST", "/v1/queues/nope/pause", {
      token: started.operator,
    });
    expect([missing.status, missing.body.error.code]).toEqual([404, "not_found"]);
    const long = await sys.request<{ error: { code: string; details: { path: string }[] } }>(
      "POST",
      `/v1/queues/${"x".repeat(101)}/resume`,
      { token: started.operator },
    );
    expect([long.status, long.body.error.details.map((d) => d.path)]).toEqual([400, ["name"]]);
    const query = await sys.request<{ error: { code: string } }>("GET", "/v1/queues?limit=5", {
      token: started.operator,
    });
    expect(query.status).toBe(400);
  });
});
