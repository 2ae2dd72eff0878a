import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import type { OrgLimit, QueueAnswer, QueueList, QueueStatsAnswer } from "@jobstream/contract";
import { systemTest } from "@jobstream/testing/fixtures";

const org = randomUUID();

interface Refusal {
  error: { code: string; details?: { path: string }[] };
}

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

  it("sets, reads and removes an org's cap, refusing what cannot be one", async ({ sys, started }) => {
    const token = started.operator;
    const path = `/v1/queues/synthetic/orgs/${org}/limit`;
    const initial = await sys.request<OrgLimit>("GET", path, { token });
    expect(initial).toEqual({ status: 200, body: { queue: "synthetic", orgId: org, limit: null, running: 0 } });
    const set = await sys.request<OrgLimit>("PUT", path, { token, body: { limit: 3 } });
    expect([set.status, set.body.limit]).toEqual([200, 3]);
    expect((await sys.request<OrgLimit>("GET", path, { token })).body.limit).toBe(3);
    const removed = await sys.request<OrgLimit>("PUT", path, { token, body: { limit: null } });
    expect([removed.status, removed.body.limit]).toEqual([200, null]);

    const bad: [string, unknown, string][] = [
      [path, { limit: 0 }, "limit"],
      [path, { limit: 10_001 }, "limit"],
      [path, { limit: 2.5 }, "limit"],
      [path, { limit: "3" }, "limit"],
      [path, {}, "limit"],
      [path, { limit: 3, extra: true }, ""],
      [`/v1/queues/synthetic/orgs/not-a-uuid/limit`, { limit: 3 }, "orgId"],
    ];
    for (const [where, body, field] of bad) {
      const res = await sys.request<Refusal>("PUT", where, { token, body });
      expect([res.status, res.body.error.code], JSON.stringify(body)).toEqual([400, "validation_failed"]);
      if (field !== "")
        expect(
          res.body.error.details?.map((d) => d.path),
          JSON.stringify(body),
        ).toContain(field);
    }
    const unknown = await sys.request<Refusal>("PUT", `/v1/queues/nope/orgs/${org}/limit`, {
      token,
      body: { limit: 3 },
    });
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "not_found"]);
    expect((await sys.request<OrgLimit>("GET", path, { token })).body.limit).toBe(null);
  });
});
