// Every documented jobs route (enqueue, read, list, act, bulk, flows, groups, streams) and the
// error answers, called with real data, each answer parsed with its contract schema.
import { randomUUID } from "node:crypto";
import * as contract from "@jobstream/contract";
import { openSse, syntheticWork as work } from "@jobstream/testing";
import { describe, expect } from "vitest";
import { conforms, coversEveryOperationOf, it } from "./contract-fixture";

describe("jobs routes answer what the contract says", () => {
  it("jobs: enqueue, batch, get, list, active, items, events, cancel, retry", async ({ sys, call, admin }) => {
    const enqueued = await call("POST", "/v1/jobs", "/v1/jobs", {
      token: admin,
      body: work(
        { durationMs: 200, items: 4, failItems: [1], steps: ["a", "b"], output: { ok: true } },
        { name: "contract" },
      ),
    });
    expect(enqueued.status).toBe(202);
    const job = conforms(contract.enqueueAnswerSchema, enqueued.body).job;

    const batch = await call("POST", "/v1/jobs/batch", "/v1/jobs/batch", {
      token: admin,
      body: { jobs: [work({}), work({ items: 2 })] },
    });
    expect(batch.status).toBe(202);
    expect(conforms(contract.batchAnswerSchema, batch.body).jobs).toHaveLength(2);

    await sys.waitForStatus(admin, job.id, "completed");
    const got = await call("GET", "/v1/jobs/{id}", `/v1/jobs/${job.id}`, { token: admin });
    expect(got.status).toBe(200);
    expect(conforms(contract.jobViewSchema, got.body).output).toEqual({ echo: { ok: true }, items: 4 });

    const list = await call("GET", "/v1/jobs", "/v1/jobs?limit=2", { token: admin });
    expect(list.status).toBe(200);
    const page = conforms(contract.jobPageSchema, list.body);
    expect(page.jobs).toHaveLength(2);
    expect(page.nextCursor).not.toBeNull();

    const active = await call("GET", "/v1/jobs/active", "/v1/jobs/active", { token: admin });
    expect(active.status).toBe(200);
    expect(conforms(contract.activeJobsSchema, active.body).jobs.length).toBeGreaterThan(0);

    const items = await call("GET", "/v1/jobs/{id}/items", `/v1/jobs/${job.id}/items`, { token: admin });
    expect(items.status).toBe(200);
    expect(
      conforms(contract.itemPageSchema, items.body)
        .items.map((i) => i.status)
        .sort(),
    ).toEqual(["error", "success", "success", "success"]);

    const events = await call("GET", "/v1/jobs/{id}/events", `/v1/jobs/${job.id}/events`, { token: admin });
    expect(events.status).toBe(200);
    expect(conforms(contract.eventListSchema, events.body).events.length).toBeGreaterThan(0);

    const long = await sys.enqueue(admin, work({ durationMs: 60_000, steps: ["wait"] }));
    await sys.waitForStatus(admin, long.id, "running");
    const cancel = await call("POST", "/v1/jobs/{id}/cancel", `/v1/jobs/${long.id}/cancel`, { token: admin });
    expect([200, 202]).toContain(cancel.status);
    conforms(contract.jobActionAnswerSchema, cancel.body);

    const flaky = await sys.enqueue(admin, work({ failAttempts: 1 }, { maxAttempts: 1 }));
    await sys.waitForStatus(admin, flaky.id, "failed");
    const retry = await call("POST", "/v1/jobs/{id}/retry", `/v1/jobs/${flaky.id}/retry`, { token: admin });
    expect(retry.status).toBe(202);
    expect(conforms(contract.jobActionAnswerSchema, retry.body).job.id).toBe(flaky.id);

    const bulk = await call("POST", "/v1/jobs/bulk", "/v1/jobs/bulk", {
      token: admin,
      body: { action: "cancel", filter: { createdTo: "2000-01-01T00:00:00Z" } },
    });
    expect(bulk.status).toBe(202);
    expect(conforms(contract.bulkAnswerSchema, bulk.body).bulk.matched).toBe(0);
    const dryRun = await call("POST", "/v1/jobs/bulk", "/v1/jobs/bulk", {
      token: admin,
      body: { action: "retry", filter: { status: "failed" }, dryRun: true },
    });
    expect(dryRun.status).toBe(200);
    expect(conforms(contract.bulkDryRunAnswerSchema, dryRun.body).matched).toBeGreaterThanOrEqual(0);
  });

  it("flows: enqueue with children, the parent's view with its summary, a children page", async ({
    sys,
    call,
    admin,
  }) => {
    const enqueued = await call("POST", "/v1/jobs", "/v1/jobs", {
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
    const got = await call("GET", "/v1/jobs/{id}", `/v1/jobs/${answer.job.id}`, { token: admin });
    expect(conforms(contract.jobViewSchema, got.body).children).toEqual({
      total: 2,
      counts: { completed: 2 },
      progress: 100,
    });
    const children = await call("GET", "/v1/jobs/{id}/children", `/v1/jobs/${answer.job.id}/children?limit=1`, {
      token: admin,
    });
    expect(children.status).toBe(200);
    const page = conforms(contract.jobPageSchema, children.body);
    expect(page.jobs).toHaveLength(1);
    expect(page.nextCursor).not.toBeNull();
    const rest = await call(
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

  it("groups: get, stream, cancel, retry", async ({ sys, call, called, admin: token }) => {
    const groupId = randomUUID();
    await sys.enqueue(token, work({}, { groupId, delayMs: 3_600_000 }));
    const one = "/v1/groups/{groupId}";
    const read = await call("GET", one, `/v1/groups/${groupId}`, { token });
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
      const res = await call("POST", `${one}/${action}`, `/v1/groups/${groupId}/${action}`, { token });
      expect(conforms(contract.groupActionAnswerSchema, res.body).done, action).toBe(1);
    }
  });

  it("streams: the first event of each is a job in the contract's shape", async ({ sys, called, admin }) => {
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

  it("error answers: 400, 401, 404, 409 and a non-JSON body on a public route", async ({ sys, admin }) => {
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

  coversEveryOperationOf("jobs");
});
