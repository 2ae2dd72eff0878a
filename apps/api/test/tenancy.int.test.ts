import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSse, signToken, System, unsignedToken } from "@jobstream/testing";

const sys = new System();

interface Tenant {
  org: string;
  owner: string;
  job: { id: string; accessToken: string };
  cancelled: { id: string; accessToken: string };
}
const tenants: Tenant[] = [];

beforeAll(async () => {
  await sys.init();
  await sys.startApi({ RATE_LIMIT_PER_MINUTE: "100000" });
  for (let i = 0; i < 3; i++) {
    const org = randomUUID();
    const owner = randomUUID();
    const token = await sys.token({ sub: owner, org, role: "member" });
    const job = await sys.enqueue(token, { type: "synthetic", input: {}, delayMs: 3_600_000, name: `tenant ${i}` });
    const cancelled = await sys.enqueue(token, { type: "synthetic", input: {}, delayMs: 3_600_000 });
    expect((await sys.request("POST", `/v1/jobs/${cancelled.id}/cancel`, { token })).status).toBe(200);
    tenants.push({ org, owner, job, cancelled });
  }
}, 60_000);
afterAll(async () => {
  await sys.stop();
}, 60_000);

type Access = "read-write" | "read-only" | "none" | "unauthenticated";

interface Caller {
  name: string;
  headers: (t: Tenant, other: Tenant) => Promise<Record<string, string>>;
  /** What this caller may do with tenant t's job. */
  access: Access;
  bearer: boolean;
}

const bearer = async (claims: Parameters<typeof signToken>[1], expiresIn?: number, secret = sys.secret) => ({ authorization: `Bearer ${await signToken(secret, claims, expiresIn)}` });

const callers: Caller[] = [
  { name: "the owner (member)", access: "read-write", bearer: true, headers: (t) => bearer({ sub: t.owner, org: t.org, role: "member" }) },
  { name: "another member of the org", access: "none", bearer: true, headers: (t) => bearer({ sub: randomUUID(), org: t.org, role: "member" }) },
  { name: "an admin of the org", access: "read-write", bearer: true, headers: (t) => bearer({ sub: randomUUID(), org: t.org, role: "admin" }) },
  { name: "an admin of another org", access: "none", bearer: true, headers: (_t, o) => bearer({ sub: randomUUID(), org: o.org, role: "admin" }) },
  { name: "a service", access: "read-write", bearer: true, headers: () => bearer({ sub: randomUUID(), org: randomUUID(), role: "service" }) },
  { name: "anonymous with the job's token", access: "read-only", bearer: false, headers: (t) => Promise.resolve({ "x-job-token": t.job.accessToken }) },
  { name: "anonymous with another job's token", access: "none", bearer: false, headers: (_t, o) => Promise.resolve({ "x-job-token": o.job.accessToken }) },
  { name: "no token", access: "unauthenticated", bearer: false, headers: () => Promise.resolve({}) },
  { name: "an expired token", access: "unauthenticated", bearer: false, headers: (t) => bearer({ sub: t.owner, org: t.org, role: "admin" }, -10) },
  { name: "a forged token", access: "unauthenticated", bearer: false, headers: (t) => bearer({ sub: t.owner, org: t.org, role: "admin" }, 3600, "x".repeat(48)) },
  {
    name: "an alg:none token", access: "unauthenticated", bearer: false,
    headers: (t) => Promise.resolve({ authorization: `Bearer ${unsignedToken({ sub: t.owner, org: t.org, role: "service", exp: Math.floor(Date.now() / 1000) + 600 })}` }),
  },
];

describe.each([0, 1, 2])("tenant %i", (index) => {
  it.each(callers)("$name gets exactly the allowed answers", async (caller) => {
    const t = tenants[index];
    const other = tenants[(index + 1) % 3];
    if (!t || !other) throw new Error("fixture");
    const headers = await caller.headers(t, other);
    const get = async (path: string) => (await sys.request("GET", path, { headers })).status;
    const post = async (path: string) => (await sys.request("POST", path, { headers })).status;
    const canRead = caller.access === "read-write" || caller.access === "read-only";
    const readStatus = caller.access === "unauthenticated" ? 401 : canRead ? 200 : 404;

    for (const path of [`/v1/jobs/${t.job.id}`, `/v1/jobs/${t.job.id}/items`, `/v1/jobs/${t.job.id}/events`]) {
      expect(await get(path), path).toBe(readStatus);
    }
    const stream = await openSse(`${sys.apiUrl}/v1/jobs/${t.job.id}/stream`, headers);
    expect(stream.status, "job stream").toBe(readStatus);
    if (stream.status === 200) await stream.waitFor("the job's state", (events) => events.length === 1);
    stream.close();

    // Actions need a bearer token with access; the job's own token only reads.
    const actionStatus = caller.access === "read-write" ? 409 : caller.bearer ? 404 : 401;
    expect(await post(`/v1/jobs/${t.job.id}/retry`), "retry").toBe(actionStatus);
    expect(await post(`/v1/jobs/${t.cancelled.id}/cancel`), "cancel").toBe(actionStatus);

    // Lists and the caller-wide stream: bearer tokens only, and the job appears only if visible.
    const list = await sys.request<{ jobs: { id: string }[] }>("GET", "/v1/jobs?limit=500", { headers });
    const active = await sys.request<{ jobs: { id: string }[] }>("GET", "/v1/jobs/active", { headers });
    const all = await openSse(`${sys.apiUrl}/v1/stream`, headers);
    if (caller.bearer) {
      expect([list.status, active.status, all.status]).toEqual([200, 200, 200]);
      const visible = caller.access === "read-write";
      expect(list.body.jobs.some((j) => j.id === t.job.id), "list").toBe(visible);
      expect(active.body.jobs.some((j) => j.id === t.job.id), "active").toBe(visible);
      await new Promise((r) => setTimeout(r, 150));
      expect(all.events.some((e) => (e.data as { id: string }).id === t.job.id), "stream").toBe(visible);
    } else {
      expect([list.status, active.status, all.status]).toEqual([401, 401, 401]);
    }
    all.close();
  });
});

describe("mirror dead letters (GET /v1/admin/mirror/dead-letters): operators only", () => {
  const path = "/v1/admin/mirror/dead-letters";

  it("answers operator 200; admin, member and service 403; job token and anonymous 401", async () => {
    const t = tenants[0];
    if (!t) throw new Error("fixture");
    const cases: [string, Record<string, string>, number][] = [
      ["operator", await bearer({ sub: randomUUID(), org: randomUUID(), role: "operator" }), 200],
      ["admin", await bearer({ sub: randomUUID(), org: t.org, role: "admin" }), 403],
      ["member", await bearer({ sub: t.owner, org: t.org, role: "member" }), 403],
      ["service", await bearer({ sub: randomUUID(), org: randomUUID(), role: "service" }), 403],
      ["job token", { "x-job-token": t.job.accessToken }, 401],
      ["anonymous", {}, 401],
    ];
    for (const [name, headers, status] of cases) {
      expect((await sys.request("GET", path, { headers })).status, name).toBe(status);
    }
  });

  it("pages newest first with a cursor", async () => {
    const marker = randomUUID();
    await sys.query(
      `INSERT INTO mirror_dead_letters (queue, stream_id, job_id, raw, error)
       SELECT 'tenancy-' || $1, n || '-0', 'job-' || n, '{"j":"5"}', 'test entry ' || n FROM generate_series(1, 3) AS n`,
      [marker],
    );
    const headers = await bearer({ sub: randomUUID(), org: randomUUID(), role: "operator" });
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
