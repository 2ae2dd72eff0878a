import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { it, type Who } from "./tenancy-fixture";

// The operator console's reads (search by data) under the jobs' access rule.

describe("search by data (GET /v1/jobs?metadata=): the jobs' access rule", () => {
  // Who finds tenant t's member's job by its metadata: its owner, its org's admin, operators and
  // services; another member or another org's admin searching the very same value find nothing.
  const table: [Who, number, boolean][] = [
    ["member", 200, true],
    ["other member", 200, false],
    ["admin", 200, true],
    ["other org's admin", 200, false],
    ["operator", 200, true],
    ["service", 200, true],
    ["job token", 401, false],
    ["anonymous", 401, false],
  ];
  it.for(table)("%s: %i, finds it: %s", async ([who, status, finds], { sys, call, pair }) => {
    const tag = randomUUID();
    const owner = await sys.token({ sub: pair.t.owner, org: pair.t.org, role: "member" });
    const job = await sys.enqueue(owner, { type: "synthetic", input: {}, delayMs: 3_600_000, metadata: { tag } });
    // The other org holds a job with the same value: it never shows up for t's callers, nor t's for o's.
    const otherOwner = await sys.token({ sub: pair.o.owner, org: pair.o.org, role: "member" });
    const other = await sys.enqueue(otherOwner, {
      type: "synthetic",
      input: {},
      delayMs: 3_600_000,
      metadata: { tag },
    });
    const query = `/v1/jobs?metadata=${encodeURIComponent(JSON.stringify({ tag }))}`;
    const res = await call<{ jobs: { id: string }[] }>("GET", query, await pair.as(who));
    expect(res.status).toBe(status);
    if (status !== 200) return;
    const found = res.body.jobs.map((j) => j.id);
    expect(found.includes(job.id), "t's job").toBe(finds);
    // o's job: for callers who see every org, and o's own admin.
    expect(found.includes(other.id), "o's job").toBe(["operator", "service", "other org's admin"].includes(who));
  });
});

describe("time series (GET /v1/stats/timeseries): the stats reads' access rule", () => {
  // Stats are for admins (their own org's jobs), operators and services (every org); members 403.
  const table: [Who, number, "t" | "o" | "all" | null][] = [
    ["member", 403, null],
    ["other member", 403, null],
    ["admin", 200, "t"],
    ["other org's admin", 200, "o"],
    ["operator", 200, "all"],
    ["service", 200, "all"],
    ["job token", 401, null],
    ["anonymous", 401, null],
  ];
  it.for(table)("%s: %i, counts %s", async ([who, status, counts], { sys, call, pair }) => {
    // A job type of its own, so the counts are this test's: one job in t, two in o.
    const type = "synthetic";
    const subtype = "work";
    const name = `timeseries ${randomUUID()}`;
    const enqueue = async (tenant: typeof pair.t) => {
      const token = await sys.token({ sub: tenant.owner, org: tenant.org, role: "member" });
      await sys.enqueue(token, { type, subtype, input: {}, name, delayMs: 3_600_000 });
    };
    const query = (extra = "") => `/v1/stats/timeseries?bucket=1d&type=${type}&subtype=${subtype}${extra}`;
    const headers = await pair.as(who);
    const read = (extra?: string) => call<{ buckets: { created: number }[] }>("GET", query(extra), headers);
    const created = (a: Awaited<ReturnType<typeof read>>) => a.body.buckets.reduce((n, b) => n + b.created, 0);
    // Also narrowed to t's org: operators and services may; an admin still reads its own org.
    const narrow = `&orgId=${pair.t.org}`;
    const [before, beforeNarrowed] = [await read(), await read(narrow)];
    expect(before.status).toBe(status);
    await enqueue(pair.t);
    await enqueue(pair.o);
    await enqueue(pair.o);
    const [after, afterNarrowed] = [await read(), await read(narrow)];
    expect(after.status).toBe(status);
    if (status !== 200) return;
    expect(created(after) - created(before)).toBe({ t: 1, o: 2, all: 3 }[counts ?? "all"]);
    expect(created(afterNarrowed) - created(beforeNarrowed)).toBe(counts === "o" ? 2 : 1);
  });
});

describe("queues (/v1/queues): shared by every org, so platform roles only", () => {
  // Reading: operators and services; pausing and resuming: operators; tenants 403, no bearer 401.
  const table: [Who, number, number][] = [
    ["member", 403, 403],
    ["other member", 403, 403],
    ["admin", 403, 403],
    ["other org's admin", 403, 403],
    ["operator", 200, 200],
    ["service", 200, 403],
    ["job token", 401, 401],
    ["anonymous", 401, 401],
  ];
  it.for(table)("%s reads: %i; pauses and resumes: %i", async ([who, read, act], { sys, call, pair }) => {
    const headers = await pair.as(who);
    const list = await call<{ queues: { name: string; paused: boolean }[] }>("GET", "/v1/queues", headers);
    expect(list.status, "list").toBe(read);
    if (read === 200) expect(list.body.queues.map((q) => q.name)).toContain("synthetic");
    // The tenants' jobs are delayed an hour: pausing their queue for a moment changes nothing else here.
    const paused = await call("POST", "/v1/queues/synthetic/pause", headers);
    expect(paused.status, "pause").toBe(act);
    const [row] = await sys.query<{ paused: boolean }>(`SELECT paused FROM queue_states WHERE queue = 'synthetic'`);
    expect(row?.paused ?? false, "recorded").toBe(act === 200);
    const resumed = await call("POST", "/v1/queues/synthetic/resume", headers);
    expect(resumed.status, "resume").toBe(act);
    // Whoever asked, the queue runs again (an operator resumes what a refused caller could not pause).
    const operator = await pair.as("operator");
    expect((await call("POST", "/v1/queues/synthetic/resume", operator)).status).toBe(200);
    // An unknown queue: the same refusal for everyone who may not act, 404 for operators.
    expect((await call("POST", "/v1/queues/nope/pause", headers)).status, "unknown").toBe(act === 200 ? 404 : act);
  });
});

describe("org caps (/v1/queues/:name/orgs/:orgId/limit): queue controls, so operators only", () => {
  // Even an org's own admin may not read or change its cap: caps are how operators keep one org
  // from holding a shared queue. Tenants and services 403, no bearer 401, unknown queue 404 (operator).
  const table: [Who, number][] = [
    ["member", 403],
    ["other member", 403],
    ["admin", 403],
    ["other org's admin", 403],
    ["operator", 200],
    ["service", 403],
    ["job token", 401],
    ["anonymous", 401],
  ];
  it.for(table)("%s reads and sets t's cap: %i", async ([who, status], { call, pair }) => {
    const headers = await pair.as(who);
    const path = `/v1/queues/synthetic/orgs/${pair.t.org}/limit`;
    expect((await call("GET", path, headers)).status, "read").toBe(status);
    const set = await call<{ limit: number | null }>("PUT", path, headers, { limit: 7 });
    expect(set.status, "set").toBe(status);
    // Whoever asked, only an operator's change stuck (and is undone for the next row).
    const operator = await pair.as("operator");
    const now = await call<{ limit: number | null }>("GET", path, operator);
    expect(now.body.limit, "stored").toBe(status === 200 ? 7 : null);
    expect((await call("PUT", path, operator, { limit: null })).status).toBe(200);
    const unknown = `/v1/queues/nope/orgs/${pair.t.org}/limit`;
    expect((await call("GET", unknown, headers)).status, "unknown").toBe(status === 200 ? 404 : status);
  });
});
