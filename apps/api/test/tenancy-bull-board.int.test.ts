import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { type System } from "@jobstream/testing";
import { everyone, errorOf, it, type Pair } from "./tenancy-fixture";

describe("bull-board", () => {
  const board = "/admin/queues";
  /** Every bull-board 9.10.1 API route (and the page), on tenant t's delayed job. */
  const routes = (id: string): [string, string, unknown?][] => [
    ["GET", ""],
    ["GET", "/api/redis/stats"],
    ["GET", "/api/queues"],
    ["GET", "/api/job-schedulers"],
    ["GET", "/api/queues/synthetic/metrics"],
    ["GET", "/api/queues/synthetic/default-job-options"],
    ["GET", "/api/queues/synthetic/workers"],
    ["GET", "/api/queues/synthetic/rate-limit"],
    ["GET", "/api/queues/synthetic/job-data-schema"],
    ["GET", `/api/queues/synthetic/${id}/logs`],
    ["GET", `/api/queues/synthetic/${id}/flow`],
    ["GET", `/api/queues/synthetic/${id}`],
    ["PUT", "/api/queues/pause"],
    ["PUT", "/api/queues/resume"],
    ["POST", "/api/queues/synthetic/add", { name: "x", data: { type: "synthetic", subtype: "work", input: {} } }],
    ["PUT", "/api/queues/synthetic/retry/failed"],
    ["PUT", "/api/queues/synthetic/retry/completed"],
    ["PUT", "/api/queues/synthetic/promote"],
    ["PUT", "/api/queues/synthetic/clean/delayed"],
    ["PUT", "/api/queues/synthetic/clean/completed"],
    ["PUT", "/api/queues/synthetic/pause"],
    ["PUT", "/api/queues/synthetic/resume"],
    ["PUT", "/api/queues/synthetic/concurrency", { concurrency: 1 }],
    ["PUT", "/api/queues/synthetic/rate-limit", { max: 1, duration: 1000 }],
    ["PUT", "/api/queues/synthetic/rate-limit/release"],
    ["PUT", "/api/queues/synthetic/empty"],
    ["PUT", "/api/queues/synthetic/obliterate"],
    ["PUT", "/api/queues/synthetic/job-schedulers/s1/remove"],
    ["PATCH", "/api/queues/synthetic/job-schedulers/s1", { every: 1000 }],
    ["PUT", "/api/queues/synthetic/job-schedulers/s1/run"],
    ["PUT", `/api/queues/synthetic/${id}/retry`],
    ["PUT", `/api/queues/synthetic/${id}/clean`],
    ["PUT", `/api/queues/synthetic/${id}/promote`],
    ["PATCH", `/api/queues/synthetic/${id}/update-data`, { type: "synthetic", subtype: "work", input: { items: 5 } }],
    ["PATCH", `/api/queues/synthetic/${id}/delay`, { delay: 1 }],
    ["PATCH", `/api/queues/synthetic/${id}/priority`, { priority: 1 }],
    ["PUT", `/api/queues/synthetic/${id}/remove-unprocessed-children`],
  ];

  // Everyone but operators is turned away from every route, before bull-board runs anything.
  it.for(everyone.filter((w) => w !== "operator"))(
    "%s gets nothing from any route",
    async (who, { sys, call, pair }) => {
      const { t } = pair;
      const headers = await pair.as(who);
      const expected = who === "job token" || who === "anonymous" ? 401 : 403;
      for (const [method, path, body] of routes(t.job.id)) {
        expect((await call(method, `${board}${path}`, headers, body)).status, `${method} ${path}`).toBe(expected);
      }
      // Nothing moved: the job is still delayed with its input, in Postgres and in Redis.
      const operator = await pair.as("operator");
      const redis = await call<{ job: { data: { input: unknown } }; status: string }>(
        "GET",
        `${board}/api/queues/synthetic/${t.job.id}`,
        operator,
      );
      expect([redis.status, redis.body.status, redis.body.job.data.input]).toEqual([200, "delayed", {}]);
      expect((await sys.job(await sys.token({ sub: t.owner, org: t.org }), t.job.id)).status).toBe("delayed");
    },
  );

  it("operators read every route; what Postgres could not follow (add/duplicate, update-data…) is refused", async ({
    sys,
    call,
    pair,
  }) => {
    const { t } = pair;
    const operator = await pair.as("operator");
    const refused = new Set([
      "/add",
      "/update-data",
      "/delay",
      "/priority",
      "/empty",
      "/obliterate",
      "/remove-unprocessed-children",
      "/concurrency",
      "/rate-limit",
      "/job-schedulers/s1",
      "/job-schedulers/s1/remove",
      "/job-schedulers/s1/run",
      "/retry/completed",
      "/clean/delayed",
    ]);
    for (const [method, path, body] of routes(t.job.id)) {
      const isRefused = method !== "GET" && [...refused].some((r) => path.endsWith(r));
      if (method !== "GET" && !isRefused) continue; // kept actions: see the tests below
      const res = await call(method, `${board}${path}`, operator, body);
      expect(res.status, `${method} ${path}`).toBe(isRefused ? 403 : 200);
      if (isRefused) expect(errorOf(res).code, path).toBe("forbidden");
    }
    const job = await call<{ job: { data: { input: unknown } }; status: string }>(
      "GET",
      `${board}/api/queues/synthetic/${t.job.id}`,
      operator,
    );
    expect([job.body.status, job.body.job.data.input]).toEqual(["delayed", {}]);
    const row = await sys.query<{ input: unknown; status: string }>(`SELECT input, status FROM jobs WHERE id = $1`, [
      t.job.id,
    ]);
    expect(row).toEqual([{ input: {}, status: "delayed" }]);
    const counts = await sys.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs`);
    const queues = await call<{ queues: { name: string; counts: Record<string, number> }[] }>(
      "GET",
      `${board}/api/queues`,
      operator,
    );
    expect(queues.body.queues.map((q) => q.name).sort()).toEqual(["bulk", "import", "maintenance", "synthetic"]);
    expect(counts[0]?.n).toBeGreaterThan(0);
  });

  /** The tenant's member (who owns its jobs) and an operator, who acts on them in bull-board. */
  const ownerAndOperator = async (sys: System, pair: Pair) => ({
    token: await sys.token({ sub: pair.t.owner, org: pair.t.org, role: "member" }),
    operator: await pair.as("operator"),
  });
  const events = async (sys: System, id: string) =>
    await sys.query<{ type: string; data: Record<string, unknown> }>(
      `SELECT type::text, data FROM job_events WHERE job_id = $1 ORDER BY id`,
      [id],
    );

  it("retries a failed job through Postgres: reopened, run again, recorded", async ({ sys, call, pair }) => {
    const { token, operator } = await ownerAndOperator(sys, pair);
    const failed = await sys.enqueue(token, { type: "synthetic", input: { failAttempts: 1 }, maxAttempts: 1 });
    await sys.waitForStatus(token, failed.id, "failed");
    const res = await call("PUT", `${board}/api/queues/synthetic/${failed.id}/retry`, operator);
    expect(res.status).toBe(204);
    const done = await sys.waitForStatus(token, failed.id, "completed");
    expect(done.attempts).toBe(2);
    expect((await events(sys, failed.id)).some((e) => e.type === "retried" && e.data.by === "bull-board")).toBe(true);
    // A job Postgres does not hold as failed or cancelled is not retried.
    expect((await call("PUT", `${board}/api/queues/synthetic/${failed.id}/retry`, operator)).status).toBe(409);
  });

  it("retries every failed job of a queue through Postgres ('retry all')", async ({ sys, call, pair }) => {
    const { token, operator } = await ownerAndOperator(sys, pair);
    const jobs = await Promise.all(
      [1, 2].map(() => sys.enqueue(token, { type: "synthetic", input: { failAttempts: 1 }, maxAttempts: 1 })),
    );
    for (const j of jobs) await sys.waitForStatus(token, j.id, "failed");
    expect((await call("PUT", `${board}/api/queues/synthetic/retry/failed`, operator)).status).toBe(200);
    for (const j of jobs) expect((await sys.waitForStatus(token, j.id, "completed")).attempts).toBe(2);
  });

  it("cleaning an unfinished job cancels it in Postgres (the reconciler does not bring it back)", async ({
    sys,
    call,
    pair,
  }) => {
    const { token, operator } = await ownerAndOperator(sys, pair);
    const job = await sys.enqueue(token, { type: "synthetic", input: {}, delayMs: 3_600_000 });
    expect((await call("PUT", `${board}/api/queues/synthetic/${job.id}/clean`, operator)).status).toBe(204);
    expect((await sys.job(token, job.id)).status).toBe("cancelled");
    expect((await call("GET", `${board}/api/queues/synthetic/${job.id}`, operator)).status).toBe(404);
    // Reconcile rounds (RECONCILE_AFTER_MS 1.5 s in tests) come and go: the job stays cancelled.
    await new Promise((r) => setTimeout(r, 4000));
    expect((await sys.job(token, job.id)).status).toBe("cancelled");
    expect((await call("GET", `${board}/api/queues/synthetic/${job.id}`, operator)).status).toBe(404);
  });

  it("clean drops a finished job's Redis copy (Postgres keeps it); clean all takes finished jobs only", async ({
    sys,
    call,
    pair,
  }) => {
    const { token, operator } = await ownerAndOperator(sys, pair);
    const job = await sys.enqueue(token, { type: "synthetic", subtype: "noop", input: { items: 2 } });
    await sys.waitForStatus(token, job.id, "completed");
    const res = await call("PUT", `${board}/api/queues/synthetic/${job.id}/clean`, operator);
    expect(res.status).toBeLessThan(300);
    const after = await sys.job(token, job.id);
    expect([after.status, after.items.processed]).toEqual(["completed", 2]);
    expect((await call("PUT", `${board}/api/queues/synthetic/clean/completed`, operator)).status).toBe(200);
    for (const state of ["delayed", "wait", "paused", "prioritized", "active"]) {
      expect((await call("PUT", `${board}/api/queues/synthetic/clean/${state}`, operator)).status, state).toBe(403);
    }
  });

  it("cleans a Redis-only job (no row) away, and answers 404 to retrying one", async ({ sys, call, pair }) => {
    const { token, operator } = await ownerAndOperator(sys, pair);
    const job = await sys.enqueue(token, { type: "synthetic", input: {}, delayMs: 3_600_000 });
    await sys.query(`DELETE FROM jobs WHERE id = $1`, [job.id]);
    expect((await call("PUT", `${board}/api/queues/synthetic/${job.id}/retry`, operator)).status).toBe(404);
    expect((await call("PUT", `${board}/api/queues/synthetic/${job.id}/clean`, operator)).status).toBeLessThan(300);
    expect((await call("GET", `${board}/api/queues/synthetic/${job.id}`, operator)).status).toBe(404);
  });

  it("promotes a delayed job, and Postgres follows it to the end", async ({ sys, call, pair }) => {
    const { token, operator } = await ownerAndOperator(sys, pair);
    const job = await sys.enqueue(token, { type: "synthetic", input: {}, delayMs: 3_600_000 });
    expect((await call("PUT", `${board}/api/queues/synthetic/${job.id}/promote`, operator)).status).toBeLessThan(300);
    await sys.waitForStatus(token, job.id, "completed");
  });

  it("records pause and resume in Postgres, shown by GET /v1/stats/queues", async ({ sys, call, pair }) => {
    const { token, operator } = await ownerAndOperator(sys, pair);
    const states = async () =>
      (await call<{ queueStates: { queue: string; paused: boolean }[] }>("GET", "/v1/stats/queues", operator)).body
        .queueStates;
    expect((await call("PUT", `${board}/api/queues/synthetic/pause`, operator)).status).toBe(200);
    expect(await states()).toEqual(
      expect.arrayContaining([{ queue: "synthetic", paused: true, changedAt: expect.any(String) as unknown }]),
    );
    expect(await sys.query(`SELECT paused FROM queue_states WHERE queue = 'synthetic'`)).toEqual([{ paused: true }]);
    const queued = await sys.enqueue(token, { type: "synthetic", input: {} });
    const board1 = await call<{ queues: { name: string; isPaused: boolean }[] }>(
      "GET",
      `${board}/api/queues`,
      operator,
    );
    expect(board1.body.queues.find((q) => q.name === "synthetic")?.isPaused).toBe(true);
    expect((await call("PUT", `${board}/api/queues/synthetic/resume`, operator)).status).toBe(200);
    await sys.waitForStatus(token, queued.id, "completed");
    expect((await call("PUT", `${board}/api/queues/pause`, operator)).status).toBe(200);
    expect((await states()).map((s) => s.paused)).toEqual([true, true, true, true]);
    expect((await call("PUT", `${board}/api/queues/resume`, operator)).status).toBe(200);
    expect((await states()).map((s) => s.paused)).toEqual([false, false, false, false]);
    // Admins see the states too (they explain why their jobs wait); members get no stats.
    expect((await call("GET", "/v1/stats/queues", await pair.as("admin"))).status).toBe(200);
    expect((await call("GET", "/v1/stats/queues", await pair.as("member"))).status).toBe(403);
  });

  // Last of the file: "promote all" also starts the matrix's delayed jobs.
  it("promotes every delayed job of a queue, and Postgres follows them all", async ({ sys, call, pair }) => {
    const { token, operator } = await ownerAndOperator(sys, pair);
    const jobs = await Promise.all(
      [1, 2].map(() => sys.enqueue(token, { type: "synthetic", input: {}, delayMs: 3_600_000 })),
    );
    expect((await call("PUT", `${board}/api/queues/synthetic/promote`, operator)).status).toBeLessThan(300);
    for (const j of jobs) await sys.waitForStatus(token, j.id, "completed");
  });
});

describe("mirror dead letters (GET /v1/admin/mirror/dead-letters): operators only", () => {
  const path = "/v1/admin/mirror/dead-letters";

  it("answers operator 200; admin, member and service 403; job token and anonymous 401", async ({
    sys,
    tenants,
    sign,
  }) => {
    const t = tenants[0];
    if (!t) throw new Error("fixture");
    const cases: [string, Record<string, string>, number][] = [
      ["operator", await sign({ sub: randomUUID(), org: randomUUID(), role: "operator" }), 200],
      ["admin", await sign({ sub: randomUUID(), org: t.org, role: "admin" }), 403],
      ["member", await sign({ sub: t.owner, org: t.org, role: "member" }), 403],
      ["service", await sign({ sub: randomUUID(), org: randomUUID(), role: "service" }), 403],
      ["job token", { "x-job-token": t.job.accessToken }, 401],
      ["anonymous", {}, 401],
    ];
    for (const [name, headers, status] of cases) {
      expect((await sys.request("GET", path, { headers })).status, name).toBe(status);
    }
  });

  it("pages newest first with a cursor", async ({ sys, sign }) => {
    const marker = randomUUID();
    await sys.query(
      `INSERT INTO mirror_dead_letters (queue, stream_id, job_id, raw, error)
       SELECT 'tenancy-' || $1, n || '-0', 'job-' || n, '{"j":"5"}', 'test entry ' || n
       FROM generate_series(1, 3) AS n`,
      [marker],
    );
    const headers = await sign({ sub: randomUUID(), org: randomUUID(), role: "operator" });
    interface Page {
      deadLetters: { queue: string; streamId: string; jobId: string | null; raw: string; error: string }[];
      nextCursor: string | null;
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? "?limit=2" : `?limit=2&cursor=${cursor}`;
      const page: { status: number; body: Page } = await sys.request<Page>("GET", `${path}${query}`, { headers });
      expect(page.status).toBe(200);
      expect(page.body.deadLetters.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.deadLetters.filter((d) => d.queue === `tenancy-${marker}`).map((d) => d.streamId));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(["3-0", "2-0", "1-0"]);
    expect((await sys.request("GET", `${path}?cursor=not-ours`, { headers })).status).toBe(400);
    expect((await sys.request("GET", `${path}?limit=0`, { headers })).status).toBe(400);
  });
});
