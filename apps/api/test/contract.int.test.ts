import { randomUUID } from "node:crypto";
import * as contract from "@jobstream/contract";
import { openSse, syntheticWork as work, type System } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";
import { describe, expect } from "vitest";
import type { z } from "zod";

// Every documented route, called with real data, each answer parsed with its contract schema.
const org = randomUUID();
/** `method path-template` of every call made, compared with the OpenAPI document at the end. */
const called = new Set<string>();

/** `started`: an admin's token in `org`. */
const it = systemTest(async (sys) => {
  await sys.startApi({ ENABLE_SYNTHETIC_JOBS: "true" });
  await sys.startWorker("work,mirror,housekeep", { ENABLE_SYNTHETIC_JOBS: "true" });
  return sys.token({ org, role: "admin" });
});

/**
 * The answer matches the schema exactly: it parses, and parsing dropped nothing (zod strips keys
 * it does not know, so an undocumented field would make the two differ).
 */
function conforms<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  expect(result.error?.issues ?? []).toEqual([]);
  expect(result.data).toEqual(body);
  return result.data as z.output<S>;
}

async function call(
  sys: System,
  method: string,
  template: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: unknown }> {
  called.add(`${method.toLowerCase()} ${template}`);
  return sys.request(method, path, options);
}

describe("every route answers what the contract says", () => {
  it("jobs: enqueue, batch, get, list, active, items, events, cancel, retry", async ({ sys, started: admin }) => {
    const enqueued = await call(sys, "POST", "/v1/jobs", "/v1/jobs", {
      token: admin,
      body: work(
        { durationMs: 200, items: 4, failItems: [1], steps: ["a", "b"], output: { ok: true } },
        { name: "contract" },
      ),
    });
    expect(enqueued.status).toBe(202);
    const job = conforms(contract.enqueueAnswerSchema, enqueued.body).job;

    const batch = await call(sys, "POST", "/v1/jobs/batch", "/v1/jobs/batch", {
      token: admin,
      body: { jobs: [work({}), work({ items: 2 })] },
    });
    expect(batch.status).toBe(202);
    expect(conforms(contract.batchAnswerSchema, batch.body).jobs).toHaveLength(2);

    await sys.waitForStatus(admin, job.id, "completed");
    const got = await call(sys, "GET", "/v1/jobs/{id}", `/v1/jobs/${job.id}`, { token: admin });
    expect(got.status).toBe(200);
    expect(conforms(contract.jobViewSchema, got.body).output).toEqual({ echo: { ok: true }, items: 4 });

    const list = await call(sys, "GET", "/v1/jobs", "/v1/jobs?limit=2", { token: admin });
    expect(list.status).toBe(200);
    const page = conforms(contract.jobPageSchema, list.body);
    expect(page.jobs).toHaveLength(2);
    expect(page.nextCursor).not.toBeNull();

    const active = await call(sys, "GET", "/v1/jobs/active", "/v1/jobs/active", { token: admin });
    expect(active.status).toBe(200);
    expect(conforms(contract.activeJobsSchema, active.body).jobs.length).toBeGreaterThan(0);

    const items = await call(sys, "GET", "/v1/jobs/{id}/items", `/v1/jobs/${job.id}/items`, { token: admin });
    expect(items.status).toBe(200);
    expect(
      conforms(contract.itemPageSchema, items.body)
        .items.map((i) => i.status)
        .sort(),
    ).toEqual(["error", "success", "success", "success"]);

    const events = await call(sys, "GET", "/v1/jobs/{id}/events", `/v1/jobs/${job.id}/events`, { token: admin });
    expect(events.status).toBe(200);
    expect(conforms(contract.eventListSchema, events.body).events.length).toBeGreaterThan(0);

    const long = await sys.enqueue(admin, work({ durationMs: 60_000, steps: ["wait"] }));
    await sys.waitForStatus(admin, long.id, "running");
    const cancel = await call(sys, "POST", "/v1/jobs/{id}/cancel", `/v1/jobs/${long.id}/cancel`, { token: admin });
    expect([200, 202]).toContain(cancel.status);
    conforms(contract.jobActionAnswerSchema, cancel.body);

    const flaky = await sys.enqueue(admin, work({ failAttempts: 1 }, { maxAttempts: 1 }));
    await sys.waitForStatus(admin, flaky.id, "failed");
    const retry = await call(sys, "POST", "/v1/jobs/{id}/retry", `/v1/jobs/${flaky.id}/retry`, { token: admin });
    expect(retry.status).toBe(202);
    expect(conforms(contract.jobActionAnswerSchema, retry.body).job.id).toBe(flaky.id);

    const bulk = await call(sys, "POST", "/v1/jobs/bulk", "/v1/jobs/bulk", {
      token: admin,
      body: { action: "cancel", filter: { createdTo: "2000-01-01T00:00:00Z" } },
    });
    expect(bulk.status).toBe(202);
    expect(conforms(contract.bulkAnswerSchema, bulk.body).bulk.matched).toBe(0);
  });

  it("job types, session, stats and health", async ({ sys, started: admin }) => {
    const types = await call(sys, "GET", "/v1/job-types", "/v1/job-types", { token: admin });
    expect(types.status).toBe(200);
    expect(conforms(contract.jobTypeListSchema, types.body).jobTypes.map((t) => t.type)).toContain("synthetic");

    for (const method of ["GET", "POST"]) {
      const session = await call(sys, method, "/v1/session", "/v1/session", { token: admin });
      expect(session.status).toBe(200);
      expect(conforms(contract.sessionSchema, session.body)).toMatchObject({ orgId: org, role: "admin" });
    }
    const signOut = await call(sys, "DELETE", "/v1/session", "/v1/session");
    expect(signOut.status).toBe(204);

    // Give the stats something to count.
    const done = await sys.enqueue(admin, work({}));
    await sys.waitForStatus(admin, done.id, "completed");
    const failed = await sys.enqueue(admin, work({ failAttempts: 1 }, { maxAttempts: 1 }));
    await sys.waitForStatus(admin, failed.id, "failed");
    const queues = await call(sys, "GET", "/v1/stats/queues", "/v1/stats/queues", { token: admin });
    expect(queues.status).toBe(200);
    expect(conforms(contract.queueStatsAnswerSchema, queues.body).byTypeAndStatus.length).toBeGreaterThan(0);
    const failedStats = await call(sys, "GET", "/v1/stats/failed", "/v1/stats/failed", { token: admin });
    expect(failedStats.status).toBe(200);
    // A job that used all its attempts is listed too, with none left.
    const listed = conforms(contract.failedJobsAnswerSchema, failedStats.body).jobs.find((j) => j.id === failed.id);
    expect(listed).toMatchObject({ attempts: 1, maxAttempts: 1, attemptsLeft: 0 });
    const series = await call(sys, "GET", "/v1/stats/timeseries", "/v1/stats/timeseries?bucket=1h", {
      token: admin,
    });
    expect(series.status).toBe(200);
    const buckets = conforms(contract.timeseriesAnswerSchema, series.body).buckets;
    expect(buckets.reduce((n, b) => n + b.failed, 0)).toBeGreaterThanOrEqual(1);
    // Queues are shared by every org: an operator's.
    const operator = await sys.token({ role: "operator" });
    const queueList = await call(sys, "GET", "/v1/queues", "/v1/queues", { token: operator });
    expect(queueList.status).toBe(200);
    expect(conforms(contract.queueListSchema, queueList.body).queues.map((q) => q.name)).toContain("synthetic");
    for (const action of ["pause", "resume"]) {
      const changed = await call(sys, "POST", `/v1/queues/{name}/${action}`, `/v1/queues/synthetic/${action}`, {
        token: operator,
      });
      expect(changed.status).toBe(200);
      expect(conforms(contract.queueAnswerSchema, changed.body).queue.paused).toBe(action === "pause");
    }
    const typeStats = await call(sys, "GET", "/v1/stats/types", "/v1/stats/types", { token: admin });
    expect(typeStats.status).toBe(200);
    expect(conforms(contract.typeStatsAnswerSchema, typeStats.body).types.map((t) => t.type)).toContain("synthetic");

    const live = await call(sys, "GET", "/healthz", "/healthz");
    expect(live.status).toBe(200);
    conforms(contract.livenessSchema, live.body);
    const ready = await call(sys, "GET", "/readyz", "/readyz");
    expect(ready.status).toBe(200);
    conforms(contract.readinessSchema, ready.body);

    const deadLetters = await call(sys, "GET", "/v1/admin/mirror/dead-letters", "/v1/admin/mirror/dead-letters", {
      token: operator,
    });
    expect(deadLetters.status).toBe(200);
    conforms(contract.deadLetterPageSchema, deadLetters.body);
  });

  it("streams: the first event of each is a job in the contract's shape", async ({ sys, started: admin }) => {
    const auth = { authorization: `Bearer ${admin}` };
    const all = await openSse(`${sys.apiUrl}/v1/stream`, auth);
    called.add("get /v1/stream");
    try {
      expect(all.status).toBe(200);
      const job = await sys.enqueue(admin, work({ durationMs: 300 }));
      await all.waitFor("a job event", (events) => events.some((e) => e.event === "job"), 20_000);
      conforms(contract.jobSummarySchema, all.events.find((e) => e.event === "job")?.data);

      const one = await openSse(`${sys.apiUrl}/v1/jobs/${job.id}/stream`, auth);
      called.add("get /v1/jobs/{id}/stream");
      try {
        expect(one.status).toBe(200);
        await one.waitFor("a job event", (events) => events.some((e) => e.event === "job"), 20_000);
        expect(conforms(contract.jobViewSchema, one.events.find((e) => e.event === "job")?.data).id).toBe(job.id);
      } finally {
        one.close();
      }
    } finally {
      all.close();
    }
  });

  it("schedules: create, list, get, patch, delete", async ({ sys, started: admin }) => {
    const body = { name: "contract", everyMs: 60_000, paused: true, job: work({}) };
    const created = await call(sys, "POST", "/v1/schedules", "/v1/schedules", { token: admin, body });
    expect(created.status).toBe(201);
    const { id } = conforms(contract.scheduleAnswerSchema, created.body).schedule;
    const list = await call(sys, "GET", "/v1/schedules", "/v1/schedules?limit=1", { token: admin });
    expect(conforms(contract.schedulePageSchema, list.body).schedules.map((s) => s.id)).toEqual([id]);
    const one = await call(sys, "GET", "/v1/schedules/{id}", `/v1/schedules/${id}`, { token: admin });
    conforms(contract.scheduleAnswerSchema, one.body);
    const path = `/v1/schedules/${id}`;
    const changed = await call(sys, "PATCH", "/v1/schedules/{id}", path, { token: admin, body: { cron: "0 * * * *" } });
    expect(conforms(contract.scheduleAnswerSchema, changed.body).schedule.cron).toBe("0 * * * *");
    const deleted = await call(sys, "DELETE", "/v1/schedules/{id}", path, { token: admin });
    expect([deleted.status, deleted.body]).toEqual([204, ""]);
  });

  it("error answers: 400, 401, 404, 409 and a non-JSON body on a public route", async ({ sys, started: admin }) => {
    const cases: [number, Promise<{ status: number; body: unknown }>][] = [
      [400, sys.request("POST", "/v1/jobs", { token: admin, body: work({ durationMs: "soon" }) })],
      [401, sys.request("GET", "/v1/jobs")],
      [404, sys.request("GET", `/v1/jobs/${randomUUID()}`, { token: admin })],
      [400, sys.request("DELETE", "/v1/session", { body: "{not json" })],
    ];
    const done = await sys.enqueue(admin, work({}));
    await sys.waitForStatus(admin, done.id, "completed");
    cases.push([409, sys.request("POST", `/v1/jobs/${done.id}/retry`, { token: admin })]);
    for (const [status, answer] of cases) {
      const { status: got, body } = await answer;
      expect(got).toBe(status);
      expect(conforms(contract.errorBodySchema, body).error.code).toBeTypeOf("string");
    }
  });

  it("webhooks: create, list, get, update, rotate, deliveries, redeliver, delete", async ({ sys, started: admin }) => {
    const token = admin;
    const made = await call(sys, "POST", "/v1/webhooks", "/v1/webhooks", {
      token,
      body: { url: "https://hooks.example.com/contract", events: ["job.completed"] },
    });
    expect(made.status).toBe(201);
    const { id } = conforms(contract.webhookSecretAnswerSchema, made.body).webhook;
    const one = "/v1/webhooks/{id}";
    conforms(contract.webhookPageSchema, (await call(sys, "GET", "/v1/webhooks", "/v1/webhooks", { token })).body);
    conforms(contract.webhookAnswerSchema, (await call(sys, "GET", one, `/v1/webhooks/${id}`, { token })).body);
    const patched = await call(sys, "PATCH", one, `/v1/webhooks/${id}`, { token, body: { types: ["synthetic"] } });
    conforms(contract.webhookAnswerSchema, patched.body);
    const rotated = await call(sys, "POST", `${one}/rotate-secret`, `/v1/webhooks/${id}/rotate-secret`, { token });
    conforms(contract.webhookSecretAnswerSchema, rotated.body);
    // A finished job of the org makes a delivery (its sends fail here: no such host; it exists all the same).
    const job = await sys.enqueue(token, { type: "synthetic", subtype: "noop", input: {} });
    await sys.waitForStatus(token, job.id, "completed");
    const page = await call(sys, "GET", `${one}/deliveries`, `/v1/webhooks/${id}/deliveries`, { token });
    // Other jobs of this org (earlier tests' retries) may finish meanwhile: find this job's delivery.
    const delivery = conforms(contract.webhookDeliveryPageSchema, page.body).deliveries.find((d) => d.jobId === job.id);
    expect(delivery?.jobId).toBe(job.id);
    const again = await call(
      sys,
      "POST",
      `${one}/deliveries/{deliveryId}/redeliver`,
      `/v1/webhooks/${id}/deliveries/${delivery?.id ?? ""}/redeliver`,
      { token },
    );
    expect(again.status).toBe(202);
    conforms(contract.webhookDeliveryAnswerSchema, again.body);
    expect((await call(sys, "DELETE", one, `/v1/webhooks/${id}`, { token })).status).toBe(204);
  });

  it("groups: get, stream, cancel, retry", async ({ sys, started: token }) => {
    const groupId = randomUUID();
    await sys.enqueue(token, work({}, { groupId, delayMs: 3_600_000 }));
    const one = "/v1/groups/{groupId}";
    const read = await call(sys, "GET", one, `/v1/groups/${groupId}`, { token });
    expect(conforms(contract.groupAnswerSchema, read.body).group.counts.delayed).toBe(1);
    const stream = await openSse(`${sys.apiUrl}/v1/groups/${groupId}/stream`, { authorization: `Bearer ${token}` });
    called.add(`get ${one}/stream`);
    try {
      await stream.waitFor("a group event", (events) => events.some((e) => e.event === "group"), 20_000);
      conforms(contract.groupViewSchema, stream.events[0]?.data);
    } finally {
      stream.close();
    }
    for (const action of ["cancel", "retry"]) {
      const res = await call(sys, "POST", `${one}/${action}`, `/v1/groups/${groupId}/${action}`, { token });
      expect(conforms(contract.groupActionAnswerSchema, res.body).done, action).toBe(1);
    }
  });

  it("flows: enqueue with children, the parent's view with its summary, a children page", async ({
    sys,
    started: admin,
  }) => {
    const enqueued = await call(sys, "POST", "/v1/jobs", "/v1/jobs", {
      token: admin,
      body: {
        type: "synthetic",
        subtype: "gather",
        input: {},
        children: [{ type: "synthetic", subtype: "gather", input: {}, children: [work({})] }, work({})],
      },
    });
    expect(enqueued.status).toBe(202);
    const answer = conforms(contract.enqueueAnswerSchema, enqueued.body);
    expect(answer.children?.[0]?.children).toHaveLength(1);
    await sys.waitForStatus(admin, answer.job.id, "completed");
    const got = await call(sys, "GET", "/v1/jobs/{id}", `/v1/jobs/${answer.job.id}`, { token: admin });
    expect(conforms(contract.jobViewSchema, got.body).children).toEqual({
      total: 2,
      counts: { completed: 2 },
      progress: 100,
    });
    const children = await call(sys, "GET", "/v1/jobs/{id}/children", `/v1/jobs/${answer.job.id}/children?limit=1`, {
      token: admin,
    });
    expect(children.status).toBe(200);
    const page = conforms(contract.jobPageSchema, children.body);
    expect(page.jobs).toHaveLength(1);
    expect(page.nextCursor).not.toBeNull();
    const rest = await call(
      sys,
      "GET",
      "/v1/jobs/{id}/children",
      `/v1/jobs/${answer.job.id}/children?cursor=${String(page.nextCursor)}`,
      { token: admin },
    );
    const last = conforms(contract.jobPageSchema, rest.body);
    expect(last.nextCursor).toBeNull();
    // Newest first: the nested parent was created first, so it comes last, with its own summary.
    expect(last.jobs[0]?.children).toEqual({ total: 1, counts: { completed: 1 }, progress: 100 });
  });

  it("covered every operation of /openapi.json", async ({ sys }) => {
    const doc = await sys.request<{ paths: Record<string, Record<string, unknown>> }>("GET", "/openapi.json");
    const documented = Object.entries(doc.body.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((m) => `${m} ${path}`),
    );
    expect([...called].sort()).toEqual(documented.sort());
  });
});
