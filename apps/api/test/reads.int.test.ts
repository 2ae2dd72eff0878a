import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import type { System } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";

const org = randomUUID();
const alice = randomUUID();
const bob = randomUUID();

interface Page {
  jobs: { id: string; status: string; name: string }[];
  nextCursor: string | null;
}

/** Inserts jobs straight into Postgres (fast seeding); `ago` is minutes before now. */
async function seed(
  sys: System,
  rows: {
    user?: string;
    org?: string;
    status?: string;
    createdAgo?: number;
    finishedAgo?: number;
    name?: string;
    type?: string;
  }[],
): Promise<string[]> {
  const ids = rows.map(() => randomUUID());
  await sys.query(
    `INSERT INTO jobs (id, org_id, user_id, type, subtype, name, queue, status, max_attempts, input, expires_at,
                       created_at, completed_at, cancelled_at)
     SELECT t.id, t.org, t.usr, t.type, 'work', t.name, t.type, t.status::job_status, 3, '{}', now() + interval '1 day',
            now() - make_interval(secs => t.created_ago * 60),
            CASE WHEN t.status IN ('completed', 'failed') THEN now() - make_interval(secs => t.finished_ago * 60) END,
            CASE WHEN t.status = 'cancelled' THEN now() - make_interval(secs => t.finished_ago * 60) END
     FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::float8[])
       AS t(id, org, usr, type, name, status, created_ago, finished_ago)`,
    [
      ids,
      rows.map((r) => r.org ?? org),
      rows.map((r) => r.user ?? alice),
      rows.map((r) => r.type ?? "synthetic"),
      rows.map((r) => r.name ?? "job"),
      rows.map((r) => r.status ?? "queued"),
      rows.map((r) => r.createdAgo ?? 0),
      rows.map((r) => r.finishedAgo ?? 0),
    ],
  );
  return ids;
}

/** `started`: the tokens of alice and bob (members of `org`), its admin, and a service. */
const it = systemTest(async (sys) => {
  await sys.startApi();
  return {
    alice: await sys.token({ sub: alice, org, role: "member" }),
    bob: await sys.token({ sub: bob, org, role: "member" }),
    admin: await sys.token({ sub: randomUUID(), org, role: "admin" }),
    service: await sys.token({ sub: randomUUID(), org: randomUUID(), role: "service" }),
  };
});

describe("GET /v1/jobs", () => {
  it("shows a member its own jobs, an admin its org's, a service every org's", async ({ sys, started: tokens }) => {
    const other = randomUUID();
    const [a] = await seed(sys, [{ user: alice, name: "alice import" }]);
    const [b] = await seed(sys, [{ user: bob, name: "bob export" }]);
    const [c] = await seed(sys, [{ org: other, user: randomUUID(), name: "other org" }]);
    const ids = async (token: string, query = "") =>
      (await sys.request<Page>("GET", `/v1/jobs?limit=500${query}`, { token })).body.jobs.map((j) => j.id);
    expect(await ids(tokens.alice)).toContain(a);
    expect(await ids(tokens.alice)).not.toContain(b);
    expect(await ids(tokens.admin)).toEqual(expect.arrayContaining([a, b]));
    expect(await ids(tokens.admin)).not.toContain(c);
    expect(await ids(tokens.service)).toEqual(expect.arrayContaining([a, b, c]));
    expect(await ids(tokens.service, `&orgId=${other}`)).toEqual([c]);
    expect(await ids(tokens.admin, "&q=EXPORT")).toEqual([b]);
  });

  it("filters by status, type and creation range", async ({ sys, started: tokens }) => {
    const [done] = await seed(sys, [{ status: "completed", type: "import", createdAgo: 30, finishedAgo: 20 }]);
    const page = (
      await sys.request<Page>("GET", "/v1/jobs?status=completed,failed&type=import", { token: tokens.alice })
    ).body;
    expect(page.jobs.map((j) => j.id)).toEqual([done]);
    const from = new Date(Date.now() - 31 * 60_000).toISOString();
    const to = new Date(Date.now() - 29 * 60_000).toISOString();
    const ranged = (
      await sys.request<Page>("GET", `/v1/jobs?createdFrom=${from}&createdTo=${to}`, { token: tokens.alice })
    ).body;
    expect(ranged.jobs.map((j) => j.id)).toEqual([done]);
  });

  it("rejects bad filters and cursors with the field named", async ({ sys, started: tokens }) => {
    for (const [query, field] of [
      ["status=exploded", "status.0"],
      ["limit=0", "limit"],
      ["cursor=zzz", "cursor"],
      ["userId=x", "userId"],
      ["bogus=1", ""],
    ]) {
      const res = await sys.request<{ error: { code: string; details: { path: string }[] } }>(
        "GET",
        `/v1/jobs?${query}`,
        { token: tokens.alice },
      );
      expect(res.status, query).toBe(400);
      expect(
        res.body.error.details.map((d) => d.path),
        query,
      ).toContain(field);
    }
  });

  it("pages through 5,000 jobs while 1,000 more arrive: each original exactly once", async ({ sys }) => {
    const user = randomUUID();
    const token = await sys.token({ sub: user, org, role: "member" });
    // Many share a creation time, so ties are broken by id.
    const originals = await seed(
      sys,
      Array.from({ length: 5000 }, (_, i) => ({ user, createdAgo: 10 + Math.floor(i / 7) / 100 })),
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const path = `/v1/jobs?limit=450${cursor ? `&cursor=${cursor}` : ""}`;
      const res: { status: number; body: Page } = await sys.request<Page>("GET", path, { token });
      expect(res.status).toBe(200);
      seen.push(...res.body.jobs.map((j) => j.id));
      cursor = res.body.nextCursor;
      await seed(
        sys,
        Array.from({ length: 100 }, () => ({ user, createdAgo: 0 })),
      );
    } while (cursor !== null);
    const original = new Set(originals);
    const seenOriginals = seen.filter((id) => original.has(id));
    expect(seenOriginals.length).toBe(5000);
    expect(new Set(seenOriginals).size).toBe(5000);
  });
});

describe("GET /v1/jobs/active", () => {
  it("returns unfinished jobs and those finished recently, created within the window", async ({ sys }) => {
    const user = randomUUID();
    const token = await sys.token({ sub: user, org, role: "member" });
    const inside = await seed(sys, [
      { user, status: "running", createdAgo: 59 },
      { user, status: "pending", createdAgo: 0 },
      { user, status: "delayed", createdAgo: 30 },
      { user, status: "completed", createdAgo: 30, finishedAgo: 4.9 },
      { user, status: "cancelled", createdAgo: 30, finishedAgo: 4.5 },
      { user, status: "failed", createdAgo: 10, finishedAgo: 1 },
    ]);
    await seed(sys, [
      { user, status: "running", createdAgo: 61 },
      { user, status: "completed", createdAgo: 30, finishedAgo: 5.1 },
      { user, status: "failed", createdAgo: 30, finishedAgo: 6 },
      { user, status: "cancelled", createdAgo: 59, finishedAgo: 12 },
      { user: randomUUID(), status: "running", createdAgo: 1 },
    ]);
    const res = await sys.request<Page & { running: number }>("GET", "/v1/jobs/active", { token });
    expect(res.status).toBe(200);
    expect(res.body.jobs.map((j) => j.id).sort()).toEqual([...inside].sort());
    expect(res.body.running).toBe(1);
    const wider = await sys.request<Page>("GET", "/v1/jobs/active?recentMinutes=10&hours=2", { token });
    expect(wider.body.jobs).toHaveLength(9);
  });
});

describe("one job: view, items, events, and its access token", () => {
  it("serves the owner and the holder of the job's token, and nobody else", async ({ sys, started: tokens }) => {
    const enqueued = await sys.enqueue(tokens.alice, { type: "synthetic", input: { items: 3 }, name: "with token" });
    const other = await sys.enqueue(tokens.alice, { type: "synthetic", input: {} });
    await sys.query(
      `INSERT INTO job_items (job_id, ref, status, error_code, after_state)
       VALUES ($1, 'a', 'success', NULL, '{"v":1}'), ($1, 'b', 'error', 'bad', NULL),
              ($1, 'c', 'success', NULL, '{"v":3}')`,
      [enqueued.id],
    );
    const paths = [`/v1/jobs/${enqueued.id}`, `/v1/jobs/${enqueued.id}/items`, `/v1/jobs/${enqueued.id}/events`];
    for (const path of paths) {
      expect((await sys.request("GET", path, { token: tokens.alice })).status, path).toBe(200);
      expect((await sys.request("GET", path, { token: tokens.admin })).status, path).toBe(200);
      expect((await sys.request("GET", path, { token: tokens.bob })).status, path).toBe(404);
      expect((await sys.request("GET", path, { headers: { "x-job-token": enqueued.accessToken } })).status, path).toBe(
        200,
      );
      expect((await sys.request("GET", `${path}?token=${enqueued.accessToken}`)).status, path).toBe(200);
      expect((await sys.request("GET", path, { headers: { "x-job-token": other.accessToken } })).status, path).toBe(
        404,
      );
      expect((await sys.request("GET", path)).status, path).toBe(401);
    }
    // The job token reads that job only: not lists, not actions.
    expect((await sys.request("GET", "/v1/jobs", { headers: { "x-job-token": enqueued.accessToken } })).status).toBe(
      401,
    );
    expect(
      (
        await sys.request("POST", `/v1/jobs/${enqueued.id}/cancel`, {
          headers: { "x-job-token": enqueued.accessToken },
        })
      ).status,
    ).toBe(401);

    const items = await sys.request<{
      items: { ref: string; status: string; after: unknown }[];
      nextCursor: string | null;
    }>("GET", `/v1/jobs/${enqueued.id}/items?limit=2`, { token: tokens.alice });
    expect(items.body.items.map((i) => i.ref)).toEqual(["a", "b"]);
    const rest = await sys.request<{ items: { ref: string }[]; nextCursor: string | null }>(
      "GET",
      `/v1/jobs/${enqueued.id}/items?limit=2&cursor=${items.body.nextCursor ?? ""}`,
      { token: tokens.alice },
    );
    expect(rest.body.items.map((i) => i.ref)).toEqual(["c"]);
    expect(rest.body.nextCursor).toBeNull();
    const errors = await sys.request<{ items: { ref: string }[] }>(
      "GET",
      `/v1/jobs/${enqueued.id}/items?status=error`,
      { token: tokens.alice },
    );
    expect(errors.body.items.map((i) => i.ref)).toEqual(["b"]);
    const events = await sys.request<{ events: { type: string }[] }>("GET", `/v1/jobs/${enqueued.id}/events`, {
      token: tokens.alice,
    });
    expect(events.body.events.map((e) => e.type)).toEqual(["created", "queued"]);
    const view = await sys.request<Record<string, unknown>>("GET", `/v1/jobs/${enqueued.id}`, { token: tokens.alice });
    expect(Object.keys(view.body)).not.toEqual(expect.arrayContaining(["accessTokenHash"]));
    expect(JSON.stringify(view.body)).not.toContain(enqueued.accessToken);
  });
});

describe("job types and stats", () => {
  it("lists the registered job types with JSON Schema", async ({ sys, started: tokens }) => {
    const res = await sys.request<{
      jobTypes: { type: string; subtypes: { subtype: string; inputSchema: { type: string } }[] }[];
    }>("GET", "/v1/job-types", { token: tokens.alice });
    // A member: the system type (maintenance) is not listed; synthetic is, because tests turn it on.
    expect(res.body.jobTypes.map((t) => t.type)).toEqual(["synthetic", "import"]);
    expect(res.body.jobTypes[0]?.subtypes.map((s) => s.inputSchema.type)).toEqual(["object", "object", "object"]);
  });

  it("serves the monitoring views to admins and services only", async ({ sys, started: tokens }) => {
    expect((await sys.request("GET", "/v1/stats/queues", { token: tokens.alice })).status).toBe(403);
    const queues = await sys.request<{
      byTypeAndStatus: { type: string; status: string; jobs: number }[];
      queueDepths: unknown[];
    }>("GET", "/v1/stats/queues", { token: tokens.admin });
    expect(queues.status).toBe(200);
    expect(queues.body.byTypeAndStatus.length).toBeGreaterThan(0);
    expect(queues.body.queueDepths).toHaveLength(4);
    expect((await sys.request("GET", "/v1/stats/failed", { token: tokens.admin })).status).toBe(200);
    const types = await sys.request<{ types: { type: string; total: number }[] }>("GET", "/v1/stats/types", {
      token: tokens.service,
    });
    expect(types.body.types.find((t) => t.type === "synthetic")?.total).toBeGreaterThan(5000);
  });
});
