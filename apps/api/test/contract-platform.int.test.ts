// Every documented route besides jobs' (job types, session, stats, queues, health, admin, schedules,
// webhooks), called with real data, each answer parsed with its contract schema.
import * as contract from "@jobstream/contract";
import { syntheticWork as work } from "@jobstream/testing";
import { describe, expect } from "vitest";
import { conforms, coversEveryOperationOf, it } from "./contract-fixture";

describe("platform routes answer what the contract says", () => {
  it("job types, session, stats and health", async ({ sys, call, org, admin }) => {
    const types = await call("GET", "/v1/job-types", "/v1/job-types", { token: admin });
    expect(types.status).toBe(200);
    expect(conforms(contract.jobTypeListSchema, types.body).jobTypes.map((t) => t.type)).toContain("synthetic");

    for (const method of ["GET", "POST"]) {
      const session = await call(method, "/v1/session", "/v1/session", { token: admin });
      expect(session.status).toBe(200);
      expect(conforms(contract.sessionSchema, session.body)).toMatchObject({ orgId: org, role: "admin" });
    }
    const signOut = await call("DELETE", "/v1/session", "/v1/session");
    expect(signOut.status).toBe(204);

    // Give the stats something to count.
    const done = await sys.enqueue(admin, work({}));
    await sys.waitForStatus(admin, done.id, "completed");
    const failed = await sys.enqueue(admin, work({ failAttempts: 1 }, { maxAttempts: 1 }));
    await sys.waitForStatus(admin, failed.id, "failed");
    const queues = await call("GET", "/v1/stats/queues", "/v1/stats/queues", { token: admin });
    expect(queues.status).toBe(200);
    expect(conforms(contract.queueStatsAnswerSchema, queues.body).byTypeAndStatus.length).toBeGreaterThan(0);
    const failedStats = await call("GET", "/v1/stats/failed", "/v1/stats/failed", { token: admin });
    expect(failedStats.status).toBe(200);
    // A job that used all its attempts is listed too, with none left.
    const listed = conforms(contract.failedJobsAnswerSchema, failedStats.body).jobs.find((j) => j.id === failed.id);
    expect(listed).toMatchObject({ attempts: 1, maxAttempts: 1, attemptsLeft: 0 });
    const series = await call("GET", "/v1/stats/timeseries", "/v1/stats/timeseries?bucket=1h", {
      token: admin,
    });
    expect(series.status).toBe(200);
    const buckets = conforms(contract.timeseriesAnswerSchema, series.body).buckets;
    expect(buckets.reduce((n, b) => n + b.failed, 0)).toBeGreaterThanOrEqual(1);
    // Queues are shared by every org: an operator's.
    const operator = await sys.token({ role: "operator" });
    const queueList = await call("GET", "/v1/queues", "/v1/queues", { token: operator });
    expect(queueList.status).toBe(200);
    expect(conforms(contract.queueListSchema, queueList.body).queues.map((q) => q.name)).toContain("synthetic");
    for (const action of ["pause", "resume"]) {
      const changed = await call("POST", `/v1/queues/{name}/${action}`, `/v1/queues/synthetic/${action}`, {
        token: operator,
      });
      expect(changed.status).toBe(200);
      expect(conforms(contract.queueAnswerSchema, changed.body).queue.paused).toBe(action === "pause");
    }
    // An org's cap in a queue (fair share), set then read back by an operator.
    const limitPath = `/v1/queues/synthetic/orgs/${org}/limit`;
    const template = "/v1/queues/{name}/orgs/{orgId}/limit";
    const put = await call("PUT", template, limitPath, { token: operator, body: { limit: 3 } });
    expect(put.status).toBe(200);
    expect(conforms(contract.orgLimitSchema, put.body).limit).toBe(3);
    const read = await call("GET", template, limitPath, { token: operator });
    expect(read.status).toBe(200);
    expect(conforms(contract.orgLimitSchema, read.body).limit).toBe(3);
    const removed = await call("PUT", template, limitPath, { token: operator, body: { limit: null } });
    expect(conforms(contract.orgLimitSchema, removed.body).limit).toBeNull();
    const typeStats = await call("GET", "/v1/stats/types", "/v1/stats/types", { token: admin });
    expect(typeStats.status).toBe(200);
    expect(conforms(contract.typeStatsAnswerSchema, typeStats.body).types.map((t) => t.type)).toContain("synthetic");

    const live = await call("GET", "/healthz", "/healthz");
    expect(live.status).toBe(200);
    conforms(contract.livenessSchema, live.body);
    const ready = await call("GET", "/readyz", "/readyz");
    expect(ready.status).toBe(200);
    conforms(contract.readinessSchema, ready.body);

    const deadLetters = await call("GET", "/v1/admin/mirror/dead-letters", "/v1/admin/mirror/dead-letters", {
      token: operator,
    });
    expect(deadLetters.status).toBe(200);
    conforms(contract.deadLetterPageSchema, deadLetters.body);
  });

  it("schedules: create, list, get, patch, delete", async ({ call, admin }) => {
    const body = { name: "contract", everyMs: 60_000, paused: true, job: work({}) };
    const created = await call("POST", "/v1/schedules", "/v1/schedules", { token: admin, body });
    expect(created.status).toBe(201);
    const { id } = conforms(contract.scheduleAnswerSchema, created.body).schedule;
    const list = await call("GET", "/v1/schedules", "/v1/schedules?limit=1", { token: admin });
    expect(conforms(contract.schedulePageSchema, list.body).schedules.map((s) => s.id)).toEqual([id]);
    const one = await call("GET", "/v1/schedules/{id}", `/v1/schedules/${id}`, { token: admin });
    conforms(contract.scheduleAnswerSchema, one.body);
    const path = `/v1/schedules/${id}`;
    const changed = await call("PATCH", "/v1/schedules/{id}", path, { token: admin, body: { cron: "0 * * * *" } });
    expect(conforms(contract.scheduleAnswerSchema, changed.body).schedule.cron).toBe("0 * * * *");
    const deleted = await call("DELETE", "/v1/schedules/{id}", path, { token: admin });
    expect([deleted.status, deleted.body]).toEqual([204, ""]);
  });

  it("webhooks: create, list, get, update, rotate, deliveries, redeliver, delete", async ({ sys, call, admin }) => {
    const token = admin;
    const made = await call("POST", "/v1/webhooks", "/v1/webhooks", {
      token,
      body: { url: "https://hooks.example.com/contract", events: ["job.completed"] },
    });
    expect(made.status).toBe(201);
    const { id } = conforms(contract.webhookSecretAnswerSchema, made.body).webhook;
    const one = "/v1/webhooks/{id}";
    conforms(contract.webhookPageSchema, (await call("GET", "/v1/webhooks", "/v1/webhooks", { token })).body);
    conforms(contract.webhookAnswerSchema, (await call("GET", one, `/v1/webhooks/${id}`, { token })).body);
    const patched = await call("PATCH", one, `/v1/webhooks/${id}`, { token, body: { types: ["synthetic"] } });
    conforms(contract.webhookAnswerSchema, patched.body);
    const rotated = await call("POST", `${one}/rotate-secret`, `/v1/webhooks/${id}/rotate-secret`, { token });
    conforms(contract.webhookSecretAnswerSchema, rotated.body);
    // A finished job of the org makes a delivery (its sends fail here: no such host; it exists all the same).
    const job = await sys.enqueue(token, { type: "synthetic", subtype: "noop", input: {} });
    await sys.waitForStatus(token, job.id, "completed");
    const page = await call("GET", `${one}/deliveries`, `/v1/webhooks/${id}/deliveries`, { token });
    // Other jobs of this org (earlier tests' retries) may finish meanwhile: find this job's delivery.
    const delivery = conforms(contract.webhookDeliveryPageSchema, page.body).deliveries.find((d) => d.jobId === job.id);
    expect(delivery?.jobId).toBe(job.id);
    const again = await call(
      "POST",
      `${one}/deliveries/{deliveryId}/redeliver`,
      `/v1/webhooks/${id}/deliveries/${delivery?.id ?? ""}/redeliver`,
      { token },
    );
    expect(again.status).toBe(202);
    conforms(contract.webhookDeliveryAnswerSchema, again.body);
    expect((await call("DELETE", one, `/v1/webhooks/${id}`, { token })).status).toBe(204);
  });

  coversEveryOperationOf("platform");
});
