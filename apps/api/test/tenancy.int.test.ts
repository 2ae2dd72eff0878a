import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SYSTEM_ORG_ID } from "@jobstream/contract";
import { openSse, signToken, System, unsignedToken, waitFor } from "@jobstream/testing";

const sys = new System();

interface Tenant {
  org: string;
  owner: string;
  job: { id: string; accessToken: string };
  cancelled: { id: string; accessToken: string };
}
const tenants: Tenant[] = [];
/** Extra API processes on the same database and Redis: quotas on, or synthetic types off. */
const apis = { unfinished: "", rate: "", items: "", production: "" };

beforeAll(async () => {
  await sys.init();
  await sys.startApi({ RATE_LIMIT_PER_MINUTE: "100000" });
  // Runs the jobs bull-board retries, promotes and resumes; the housekeeper's reconciler proves a
  // job cleaned in bull-board stays cancelled.
  await sys.startWorker("work,mirror,housekeep");
  const extra = (env: Record<string, string>) =>
    sys.startExtraApi({ RATE_LIMIT_PER_MINUTE: "100000", ...env }).then((a) => a.url);
  [apis.unfinished, apis.rate, apis.items, apis.production] = await Promise.all([
    extra({ ORG_MAX_UNFINISHED_JOBS: "3" }),
    extra({ ORG_ENQUEUE_PER_MINUTE: "5" }),
    extra({ ORG_ITEMS_PER_MINUTE: "100" }),
    extra({ ENABLE_SYNTHETIC_JOBS: "false" }),
  ]);
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

const bearer = async (claims: Parameters<typeof signToken>[1], expiresIn?: number, secret = sys.secret) => ({
  authorization: `Bearer ${await signToken(secret, claims, expiresIn)}`,
});

const callers: Caller[] = [
  {
    name: "the owner (member)",
    access: "read-write",
    bearer: true,
    headers: (t) => bearer({ sub: t.owner, org: t.org, role: "member" }),
  },
  {
    name: "another member of the org",
    access: "none",
    bearer: true,
    headers: (t) => bearer({ sub: randomUUID(), org: t.org, role: "member" }),
  },
  {
    name: "an admin of the org",
    access: "read-write",
    bearer: true,
    headers: (t) => bearer({ sub: randomUUID(), org: t.org, role: "admin" }),
  },
  {
    name: "an admin of another org",
    access: "none",
    bearer: true,
    headers: (_t, o) => bearer({ sub: randomUUID(), org: o.org, role: "admin" }),
  },
  {
    name: "a service",
    access: "read-write",
    bearer: true,
    headers: () => bearer({ sub: randomUUID(), org: randomUUID(), role: "service" }),
  },
  {
    name: "an operator",
    access: "read-write",
    bearer: true,
    headers: () => bearer({ sub: randomUUID(), org: randomUUID(), role: "operator" }),
  },
  {
    name: "anonymous with the job's token",
    access: "read-only",
    bearer: false,
    headers: (t) => Promise.resolve({ "x-job-token": t.job.accessToken }),
  },
  {
    name: "anonymous with another job's token",
    access: "none",
    bearer: false,
    headers: (_t, o) => Promise.resolve({ "x-job-token": o.job.accessToken }),
  },
  { name: "no token", access: "unauthenticated", bearer: false, headers: () => Promise.resolve({}) },
  {
    name: "an expired token",
    access: "unauthenticated",
    bearer: false,
    headers: (t) => bearer({ sub: t.owner, org: t.org, role: "admin" }, -10),
  },
  {
    name: "a forged token",
    access: "unauthenticated",
    bearer: false,
    headers: (t) => bearer({ sub: t.owner, org: t.org, role: "admin" }, 3600, "x".repeat(48)),
  },
  {
    name: "an alg:none token",
    access: "unauthenticated",
    bearer: false,
    headers: (t) =>
      Promise.resolve({
        authorization: `Bearer ${unsignedToken({ sub: t.owner, org: t.org, role: "service", exp: Math.floor(Date.now() / 1000) + 600 })}`,
      }),
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
      expect(
        list.body.jobs.some((j) => j.id === t.job.id),
        "list",
      ).toBe(visible);
      expect(
        active.body.jobs.some((j) => j.id === t.job.id),
        "active",
      ).toBe(visible);
      const streamed = (events: typeof all.events) => events.some((e) => (e.data as { id: string }).id === t.job.id);
      // Visible: wait for it however slow the stream is. Not visible: a short wait can only miss a leak, never fail.
      if (visible) await all.waitFor("the job on the caller-wide stream", streamed);
      else await new Promise((r) => setTimeout(r, 150));
      expect(streamed(all.events), "stream").toBe(visible);
    } else {
      expect([list.status, active.status, all.status]).toEqual([401, 401, 401]);
    }
    all.close();
  });
});

// ---------------------------------------------------------------------------------------------
// Who may enqueue what, idempotency keys, quotas and bull-board, for every kind of caller. `t` is
// the tenant whose data is at stake (its member `t.owner` made the jobs), `o` another tenant.

type Who =
  | "member"
  | "other member"
  | "admin"
  | "other org's admin"
  | "operator"
  | "service"
  | "job token"
  | "anonymous";
const everyone: Who[] = [
  "member",
  "other member",
  "admin",
  "other org's admin",
  "operator",
  "service",
  "job token",
  "anonymous",
];

function headersOf(who: Who, t: Tenant, o: Tenant): Promise<Record<string, string>> {
  switch (who) {
    case "member":
      return bearer({ sub: t.owner, org: t.org, role: "member" });
    case "other member":
      return bearer({ sub: randomUUID(), org: t.org, role: "member" });
    case "admin":
      return bearer({ sub: randomUUID(), org: t.org, role: "admin" });
    case "other org's admin":
      return bearer({ sub: randomUUID(), org: o.org, role: "admin" });
    case "operator":
      return bearer({ sub: randomUUID(), org: randomUUID(), role: "operator" });
    case "service":
      return bearer({ sub: randomUUID(), org: randomUUID(), role: "service" });
    case "job token":
      return Promise.resolve({ "x-job-token": t.job.accessToken });
    case "anonymous":
      return Promise.resolve({});
  }
}

interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
}
interface ErrorAnswer {
  error: { code: string; message: string; details?: unknown };
}

async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
  base = sys.apiUrl,
): Promise<Answer<T>> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

const tenant = () => {
  const [t, o] = tenants;
  if (!t || !o) throw new Error("fixture");
  return { t, o };
};
const errorOf = (a: Answer<unknown>) => (a.body as ErrorAnswer).error;
const fieldsOf = (a: Answer<unknown>) => ((errorOf(a).details ?? []) as { path: string }[]).map((d) => d.path);

describe("which job types exist for whom", () => {
  // Types listed by GET /v1/job-types, and what enqueueing the system type answers (400 "unknown
  // type" where it is hidden: the same answer as a type that does not exist).
  const table: [Who, string[] | null, number][] = [
    ["member", ["synthetic", "import"], 400],
    ["other member", ["synthetic", "import"], 400],
    ["admin", ["synthetic", "import"], 400],
    ["other org's admin", ["synthetic", "import"], 400],
    ["operator", ["synthetic", "import", "maintenance"], 202],
    ["service", ["synthetic", "import", "maintenance"], 202],
    ["job token", null, 401],
    ["anonymous", null, 401],
  ];
  it.each(table)("%s sees %j and enqueueing maintenance answers %i", async (who, types, enqueueStatus) => {
    const { t, o } = tenant();
    const headers = await headersOf(who, t, o);
    const listed = await call<{ jobTypes: { type: string }[] }>("GET", "/v1/job-types", headers);
    expect(listed.status).toBe(types === null ? 401 : 200);
    if (types !== null) expect(listed.body.jobTypes.map((j) => j.type)).toEqual(types);

    const sweep = await call("POST", "/v1/jobs", headers, {
      type: "maintenance",
      input: { dryRun: true, maxBatches: 1 },
    });
    expect(sweep.status).toBe(enqueueStatus);
    if (enqueueStatus === 400) {
      expect(errorOf(sweep).code).toBe("validation_failed");
      expect(fieldsOf(sweep)).toEqual(["type"]);
      const missing = await call("POST", "/v1/jobs", headers, { type: "no-such-type", input: {} });
      expect(errorOf(missing).message.replace("no-such-type", "X")).toBe(
        errorOf(sweep).message.replace("maintenance", "X"),
      );
    }
    // In a batch, too (and nothing of the batch is stored).
    const group = `hidden-${randomUUID()}`;
    const batch = await call("POST", "/v1/jobs/batch", headers, {
      jobs: [
        { type: "import", input: csvOf(1), groupId: group },
        { type: "maintenance", input: {}, groupId: group },
      ],
    });
    expect(batch.status).toBe(enqueueStatus);
    if (enqueueStatus === 400) {
      expect(fieldsOf(batch)).toEqual(["jobs.1.type"]);
      expect(await sys.query(`SELECT 1 FROM jobs WHERE group_id = $1`, [group])).toHaveLength(0);
    }
  });

  it("hides the synthetic types where ENABLE_SYNTHETIC_JOBS is off, for every role", async () => {
    const { t, o } = tenant();
    for (const who of ["member", "admin", "operator", "service"] as const) {
      const headers = await headersOf(who, t, o);
      const listed = await call<{ jobTypes: { type: string }[] }>(
        "GET",
        "/v1/job-types",
        headers,
        undefined,
        apis.production,
      );
      expect(
        listed.body.jobTypes.map((j) => j.type),
        who,
      ).not.toContain("synthetic");
      const res = await call("POST", "/v1/jobs", headers, { type: "synthetic", input: {} }, apis.production);
      expect([res.status, fieldsOf(res)], who).toEqual([400, ["type"]]);
    }
    const doc = await call<{
      paths: Record<
        string,
        { post?: { requestBody?: { content: Record<string, { examples?: Record<string, unknown> }> } } }
      >;
    }>("GET", "/openapi.json", {}, undefined, apis.production);
    const examples = Object.keys(
      doc.body.paths["/v1/jobs"]?.post?.requestBody?.content["application/json"]?.examples ?? {},
    );
    expect(examples.length).toBeGreaterThan(0);
    expect(examples.filter((e) => e.startsWith("synthetic") || e.startsWith("maintenance"))).toEqual([]);
  });

  it("refuses the system org: as a token's org (401) and as a service's orgId (403 naming orgId)", async () => {
    const systemToken = await bearer({ sub: randomUUID(), org: SYSTEM_ORG_ID, role: "service" });
    expect((await call("GET", "/v1/jobs", systemToken)).status).toBe(401);
    expect((await call("POST", "/v1/jobs", systemToken, { type: "import", input: csvOf(1) })).status).toBe(401);
    const service = await bearer({ sub: randomUUID(), org: randomUUID(), role: "service" });
    const res = await call("POST", "/v1/jobs", service, {
      type: "maintenance",
      input: {},
      orgId: SYSTEM_ORG_ID,
      idempotencyKey: "retention:1",
    });
    expect([res.status, errorOf(res).code, fieldsOf(res)]).toEqual([403, "forbidden", ["orgId"]]);
  });

  it("refuses a job asking for more items than its type allows (400 naming input)", async () => {
    const { t, o } = tenant();
    const headers = await headersOf("member", t, o);
    const res = await call("POST", "/v1/jobs", headers, { type: "import", input: csvOf(100_001) });
    expect([res.status, errorOf(res).code, fieldsOf(res)]).toEqual([400, "validation_failed", ["input"]]);
    expect(errorOf(res).message).toMatch(/request is invalid/);
    const many = await call("POST", "/v1/jobs", headers, {
      type: "synthetic",
      subtype: "noop",
      input: { items: 100_001 },
    });
    expect([many.status, fieldsOf(many)]).toEqual([400, ["input.items"]]);
  });
});

/** A CSV import input of `rows` data rows. */
function csvOf(rows: number) {
  return {
    csv: `k\n${Array.from({ length: rows }, (_, i) => String(i)).join("\n")}\n`,
    columns: [{ name: "k", type: "string" }],
    keyColumn: "k",
  };
}

describe("idempotency keys", () => {
  const original = { type: "synthetic", input: {}, delayMs: 3_600_000, name: "idempotent" };
  const changed = { ...original, name: "another request" };
  // What each caller gets when it sends the key the member already used in its org, with the
  // same request and with a different one. `same` = the member's job comes back. The normalized
  // request includes whom the job is for: an admin's identical body asks for a job of its own, so
  // it is a different request (409 reused; the admin may read the member's job anyway).
  const table: [Who, number | "same", number | "same"][] = [
    ["member", "same", 409],
    ["other member", 409, 409],
    ["admin", 409, 409],
    ["other org's admin", 202, 202],
    ["operator", 202, 202],
    ["service", 202, 202],
    ["job token", 401, 401],
    ["anonymous", 401, 401],
  ];
  it.each(table)("%s: same request → %s, different request → %s", async (who, same, different) => {
    const { t, o } = tenant();
    const owner = await headersOf("member", t, o);
    const headers = await headersOf(who, t, o);
    for (const [body, expected] of [
      [original, same],
      [changed, different],
    ] as const) {
      const key = `key-${randomUUID()}`;
      const first = await call<{ job: { id: string } }>("POST", "/v1/jobs", owner, {
        ...original,
        idempotencyKey: key,
      });
      expect(first.status).toBe(202);
      const again = await call<{ job?: { id: string }; accessToken?: unknown }>("POST", "/v1/jobs", headers, {
        ...body,
        idempotencyKey: key,
      });
      if (expected === "same") {
        expect(again.status).toBe(200);
        expect(again.body.job?.id).toBe(first.body.job.id);
        expect(again.body.accessToken).toBeNull();
        continue;
      }
      expect(again.status, JSON.stringify(again.body)).toBe(expected);
      if (expected === 202) expect(again.body.job?.id).not.toBe(first.body.job.id);
      if (expected === 409) {
        const wanted = who === "other member" ? "idempotency_key_in_use" : "idempotency_key_reused";
        expect([errorOf(again).code, fieldsOf(again)]).toEqual([wanted, ["idempotencyKey"]]);
        // Nothing about the existing job: no id, no input, no name.
        expect(JSON.stringify(again.body)).not.toContain(first.body.job.id);
        expect(JSON.stringify(again.body)).not.toContain("idempotent");
      }
    }
  });

  it("a service acting for the member gets the member's job back, and 409 reused with another request", async () => {
    const { t, o } = tenant();
    const key = `key-${randomUUID()}`;
    const first = await call<{ job: { id: string } }>("POST", "/v1/jobs", await headersOf("member", t, o), {
      ...original,
      idempotencyKey: key,
    });
    const service = await headersOf("service", t, o);
    const onBehalf = { ...original, idempotencyKey: key, orgId: t.org, userId: t.owner };
    const same = await call<{ job: { id: string } }>("POST", "/v1/jobs", service, onBehalf);
    expect([same.status, same.body.job.id]).toEqual([200, first.body.job.id]);
    const other = await call("POST", "/v1/jobs", service, { ...onBehalf, priority: 99 });
    expect([other.status, errorOf(other).code]).toEqual([409, "idempotency_key_reused"]);
  });

  it("answers the same request with defaults spelled out or keys reordered as the same request", async () => {
    const { t, o } = tenant();
    const headers = await headersOf("member", t, o);
    const key = `key-${randomUUID()}`;
    const first = await call<{ job: { id: string } }>("POST", "/v1/jobs", headers, {
      type: "import",
      input: csvOf(2),
      idempotencyKey: key,
    });
    const spelled = {
      idempotencyKey: key,
      input: {
        keyColumn: "k",
        hasHeader: true,
        delimiter: ",",
        columns: [{ required: false, type: "string", name: "k" }],
        csv: csvOf(2).csv,
      },
      subtype: "csv",
      type: "import",
    };
    const again = await call<{ job: { id: string } }>("POST", "/v1/jobs", headers, spelled);
    expect([again.status, again.body.job.id]).toEqual([200, first.body.job.id]);
  });

  it("refuses a whole batch over any key conflict, and one key twice with different requests", async () => {
    const { t, o } = tenant();
    const taken = `key-${randomUUID()}`;
    await call("POST", "/v1/jobs", await headersOf("member", t, o), { ...original, idempotencyKey: taken });
    const group = `batch-${randomUUID()}`;
    const otherMember = await headersOf("other member", t, o);
    const inUse = await call("POST", "/v1/jobs/batch", otherMember, {
      jobs: [
        { ...original, groupId: group },
        { ...original, groupId: group, idempotencyKey: taken },
      ],
    });
    expect([inUse.status, errorOf(inUse).code, fieldsOf(inUse)]).toEqual([
      409,
      "idempotency_key_in_use",
      ["jobs.1.idempotencyKey"],
    ]);
    const twice = `key-${randomUUID()}`;
    const reused = await call("POST", "/v1/jobs/batch", otherMember, {
      jobs: [
        { ...original, groupId: group, idempotencyKey: twice },
        { ...changed, groupId: group, idempotencyKey: twice },
      ],
    });
    expect([reused.status, errorOf(reused).code, fieldsOf(reused)]).toEqual([
      409,
      "idempotency_key_reused",
      ["jobs.1.idempotencyKey"],
    ]);
    expect(await sys.query(`SELECT 1 FROM jobs WHERE group_id = $1`, [group])).toHaveLength(0);
    // The same key twice with the same request is one job.
    const dup = await call<{ jobs: { job: { id: string } }[] }>("POST", "/v1/jobs/batch", otherMember, {
      jobs: [
        { ...original, idempotencyKey: twice },
        { ...original, idempotencyKey: twice },
      ],
    });
    expect(dup.status).toBe(202);
    expect(dup.body.jobs[0]?.job.id).toBe(dup.body.jobs[1]?.job.id);
  });

  it("keeps the housekeeper's retention keys in the system org, out of every tenant's reach", async () => {
    const sweeps = await waitFor(
      "the housekeeper's retention sweep",
      async () => {
        const rows = await sys.query<{ org_id: string; idempotency_key: string }>(
          `SELECT org_id::text, idempotency_key FROM jobs WHERE type = 'maintenance' AND idempotency_key LIKE 'retention:%'`,
        );
        return rows.length > 0 ? rows : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(sweeps.every((s) => s.org_id === SYSTEM_ORG_ID)).toBe(true);
    const key = sweeps[0]?.idempotency_key ?? "";
    // A service taking the same key in its own org gets its own job; the system's is untouched.
    const { t, o } = tenant();
    const service = await headersOf("service", t, o);
    const own = await call<{ job: { id: string } }>("POST", "/v1/jobs", service, {
      type: "maintenance",
      input: { dryRun: true, maxBatches: 1 },
      idempotencyKey: key,
    });
    expect(own.status).toBe(202);
    const holders = await sys.query<{ org_id: string }>(
      `SELECT org_id::text FROM jobs WHERE idempotency_key = $1 ORDER BY created_at`,
      [key],
    );
    expect(holders.map((h) => h.org_id)).toContain(SYSTEM_ORG_ID);
    expect(holders).toHaveLength(2);
  });
});

describe("per-org quotas", () => {
  const delayed = (group: string) => ({ type: "synthetic", input: {}, delayMs: 3_600_000, groupId: group });
  const count = async (org: string) => (await sys.query(`SELECT 1 FROM jobs WHERE org_id = $1`, [org])).length;
  const expectQuota = (res: Answer<unknown>, limit: string, value: number) => {
    expect(res.status).toBe(429);
    expect(errorOf(res).code).toBe("quota_exceeded");
    expect(errorOf(res).details).toMatchObject({ limit, value });
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers.get("retry-after"))).toBeLessThanOrEqual(60);
  };

  it("limits an org's unfinished jobs; a batch over it stores nothing; finished jobs do not count", async () => {
    const org = randomUUID();
    const member = await bearer({ sub: randomUUID(), org, role: "member" });
    const group = randomUUID();
    const two = await call(
      "POST",
      "/v1/jobs/batch",
      member,
      { jobs: [delayed(group), delayed(group)] },
      apis.unfinished,
    );
    expect(two.status).toBe(202);
    expectQuota(
      await call("POST", "/v1/jobs/batch", member, { jobs: [delayed(group), delayed(group)] }, apis.unfinished),
      "maxUnfinishedJobs",
      3,
    );
    expect(await count(org)).toBe(2);
    const third = await call<{ job: { id: string } }>("POST", "/v1/jobs", member, delayed(group), apis.unfinished);
    expect(third.status).toBe(202);
    // Another member and a service acting for the org share the org's quota; other orgs do not.
    expectQuota(
      await call(
        "POST",
        "/v1/jobs",
        await bearer({ sub: randomUUID(), org, role: "admin" }),
        delayed(group),
        apis.unfinished,
      ),
      "maxUnfinishedJobs",
      3,
    );
    const service = await bearer({ sub: randomUUID(), org: randomUUID(), role: "service" });
    expectQuota(
      await call("POST", "/v1/jobs", service, { ...delayed(group), orgId: org }, apis.unfinished),
      "maxUnfinishedJobs",
      3,
    );
    expect((await call("POST", "/v1/jobs", service, delayed(group), apis.unfinished)).status).toBe(202);
    expect(
      (await call("POST", "/v1/jobs", member, { ...delayed(group), idempotencyKey: "k" }, apis.unfinished)).status,
    ).toBe(429);
    // A cancelled (final) job frees its place.
    expect((await call("POST", `/v1/jobs/${third.body.job.id}/cancel`, member)).status).toBe(200);
    expect(
      (await call("POST", "/v1/jobs", member, { ...delayed(group), idempotencyKey: "k" }, apis.unfinished)).status,
    ).toBe(202);
    // At the limit again, a replay of an existing key passes: it creates nothing.
    expect(
      (await call("POST", "/v1/jobs", member, { ...delayed(group), idempotencyKey: "k" }, apis.unfinished)).status,
    ).toBe(200);
    expect(await count(org)).toBe(4);
  });

  it("limits an org's enqueue rate over all its callers; a batch over it stores nothing", async () => {
    const org = randomUUID();
    const member = await bearer({ sub: randomUUID(), org, role: "member" });
    const group = randomUUID();
    expect(
      (await call("POST", "/v1/jobs/batch", member, { jobs: [1, 2, 3, 4].map(() => delayed(group)) }, apis.rate))
        .status,
    ).toBe(202);
    expectQuota(
      await call("POST", "/v1/jobs/batch", member, { jobs: [delayed(group), delayed(group)] }, apis.rate),
      "enqueuePerMinute",
      5,
    );
    expect(await count(org)).toBe(4);
    expect(
      (
        await call(
          "POST",
          "/v1/jobs",
          await bearer({ sub: randomUUID(), org, role: "admin" }),
          delayed(group),
          apis.rate,
        )
      ).status,
    ).toBe(202);
    expectQuota(await call("POST", "/v1/jobs", member, delayed(group), apis.rate), "enqueuePerMinute", 5);
    expect(await count(org)).toBe(5);
    // Another org has its own budget.
    expect(
      (
        await call(
          "POST",
          "/v1/jobs",
          await bearer({ sub: randomUUID(), org: randomUUID(), role: "member" }),
          delayed(group),
          apis.rate,
        )
      ).status,
    ).toBe(202);
  });

  it("limits the items an org's jobs declare per minute, so few jobs cannot bury the shared mirror", async () => {
    const org = randomUUID();
    const member = await bearer({ sub: randomUUID(), org, role: "member" });
    const group = randomUUID();
    const items = (n: number) => ({ ...delayed(group), input: { items: n } });
    expect((await call("POST", "/v1/jobs/batch", member, { jobs: [items(40), items(40)] }, apis.items)).status).toBe(
      202,
    );
    expectQuota(
      await call("POST", "/v1/jobs/batch", member, { jobs: [items(10), items(11)] }, apis.items),
      "itemsPerMinute",
      100,
    );
    expect(await count(org)).toBe(2);
    // Jobs that declare no items still pass; the remaining 20 items can be taken.
    expect((await call("POST", "/v1/jobs", member, delayed(group), apis.items)).status).toBe(202);
    expect((await call("POST", "/v1/jobs", member, items(20), apis.items)).status).toBe(202);
    expect(await count(org)).toBe(4);
    // Another org has its own budget.
    const other = await bearer({ sub: randomUUID(), org: randomUUID(), role: "member" });
    expect((await call("POST", "/v1/jobs", other, items(100), apis.items)).status).toBe(202);
  });
});

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
  it.each(everyone.filter((w) => w !== "operator"))("%s gets nothing from any route", async (who) => {
    const { t, o } = tenant();
    const headers = await headersOf(who, t, o);
    const expected = who === "job token" || who === "anonymous" ? 401 : 403;
    for (const [method, path, body] of routes(t.job.id)) {
      expect((await call(method, `${board}${path}`, headers, body)).status, `${method} ${path}`).toBe(expected);
    }
    // Nothing moved: the job is still delayed with its input, in Postgres and in Redis.
    const operator = await headersOf("operator", t, o);
    const redis = await call<{ job: { data: { input: unknown } }; status: string }>(
      "GET",
      `${board}/api/queues/synthetic/${t.job.id}`,
      operator,
    );
    expect([redis.status, redis.body.status, redis.body.job.data.input]).toEqual([200, "delayed", {}]);
    expect((await sys.job(await sys.token({ sub: t.owner, org: t.org }), t.job.id)).status).toBe("delayed");
  });

  it("lets operators read every route and refuses what Postgres could not follow (add/duplicate, update-data…)", async () => {
    const { t, o } = tenant();
    const operator = await headersOf("operator", t, o);
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
    expect(queues.body.queues.map((q) => q.name).sort()).toEqual(["import", "maintenance", "synthetic"]);
    expect(counts[0]?.n).toBeGreaterThan(0);
  });

  const ownerOf = async () => {
    const { t } = tenant();
    return sys.token({ sub: t.owner, org: t.org, role: "member" });
  };
  const operatorHeaders = async () => {
    const { t, o } = tenant();
    return headersOf("operator", t, o);
  };
  const events = async (id: string) =>
    await sys.query<{ type: string; data: Record<string, unknown> }>(
      `SELECT type::text, data FROM job_events WHERE job_id = $1 ORDER BY id`,
      [id],
    );

  it("retries a failed job through Postgres: reopened, run again, recorded", async () => {
    const token = await ownerOf();
    const operator = await operatorHeaders();
    const failed = await sys.enqueue(token, { type: "synthetic", input: { failAttempts: 1 }, maxAttempts: 1 });
    await sys.waitForStatus(token, failed.id, "failed");
    const res = await call("PUT", `${board}/api/queues/synthetic/${failed.id}/retry`, operator);
    expect(res.status).toBe(204);
    const done = await sys.waitForStatus(token, failed.id, "completed");
    expect(done.attempts).toBe(2);
    expect((await events(failed.id)).some((e) => e.type === "retried" && e.data.by === "bull-board")).toBe(true);
    // A job Postgres does not hold as failed or cancelled is not retried.
    expect((await call("PUT", `${board}/api/queues/synthetic/${failed.id}/retry`, operator)).status).toBe(409);
  });

  it("retries every failed job of a queue through Postgres ('retry all')", async () => {
    const token = await ownerOf();
    const operator = await operatorHeaders();
    const jobs = await Promise.all(
      [1, 2].map(() => sys.enqueue(token, { type: "synthetic", input: { failAttempts: 1 }, maxAttempts: 1 })),
    );
    for (const j of jobs) await sys.waitForStatus(token, j.id, "failed");
    expect((await call("PUT", `${board}/api/queues/synthetic/retry/failed`, operator)).status).toBe(200);
    for (const j of jobs) expect((await sys.waitForStatus(token, j.id, "completed")).attempts).toBe(2);
  });

  it("cleaning an unfinished job cancels it in Postgres (the reconciler does not bring it back)", async () => {
    const token = await ownerOf();
    const operator = await operatorHeaders();
    const job = await sys.enqueue(token, { type: "synthetic", input: {}, delayMs: 3_600_000 });
    expect((await call("PUT", `${board}/api/queues/synthetic/${job.id}/clean`, operator)).status).toBe(204);
    expect((await sys.job(token, job.id)).status).toBe("cancelled");
    expect((await call("GET", `${board}/api/queues/synthetic/${job.id}`, operator)).status).toBe(404);
    // Reconcile rounds (RECONCILE_AFTER_MS 1.5 s in tests) come and go: the job stays cancelled.
    await new Promise((r) => setTimeout(r, 4000));
    expect((await sys.job(token, job.id)).status).toBe("cancelled");
    expect((await call("GET", `${board}/api/queues/synthetic/${job.id}`, operator)).status).toBe(404);
  });

  it("cleaning a finished job drops its Redis copy and leaves Postgres as it was; clean all is for finished jobs only", async () => {
    const token = await ownerOf();
    const operator = await operatorHeaders();
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

  it("cleans a Redis-only job (no row) away, and answers 404 to retrying one", async () => {
    const token = await ownerOf();
    const operator = await operatorHeaders();
    const job = await sys.enqueue(token, { type: "synthetic", input: {}, delayMs: 3_600_000 });
    await sys.query(`DELETE FROM jobs WHERE id = $1`, [job.id]);
    expect((await call("PUT", `${board}/api/queues/synthetic/${job.id}/retry`, operator)).status).toBe(404);
    expect((await call("PUT", `${board}/api/queues/synthetic/${job.id}/clean`, operator)).status).toBeLessThan(300);
    expect((await call("GET", `${board}/api/queues/synthetic/${job.id}`, operator)).status).toBe(404);
  });

  it("promotes a delayed job, and Postgres follows it to the end", async () => {
    const token = await ownerOf();
    const operator = await operatorHeaders();
    const job = await sys.enqueue(token, { type: "synthetic", input: {}, delayMs: 3_600_000 });
    expect((await call("PUT", `${board}/api/queues/synthetic/${job.id}/promote`, operator)).status).toBeLessThan(300);
    await sys.waitForStatus(token, job.id, "completed");
  });

  it("records pause and resume in Postgres, shown by GET /v1/stats/queues", async () => {
    const token = await ownerOf();
    const operator = await operatorHeaders();
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
    expect((await states()).map((s) => s.paused)).toEqual([true, true, true]);
    expect((await call("PUT", `${board}/api/queues/resume`, operator)).status).toBe(200);
    expect((await states()).map((s) => s.paused)).toEqual([false, false, false]);
    // Admins see the states too (they explain why their jobs wait); members get no stats.
    const { t, o } = tenant();
    expect((await call("GET", "/v1/stats/queues", await headersOf("admin", t, o))).status).toBe(200);
    expect((await call("GET", "/v1/stats/queues", await headersOf("member", t, o))).status).toBe(403);
  });

  // Last of the file: "promote all" also starts the matrix's delayed jobs.
  it("promotes every delayed job of a queue, and Postgres follows them all", async () => {
    const token = await ownerOf();
    const operator = await operatorHeaders();
    const jobs = await Promise.all(
      [1, 2].map(() => sys.enqueue(token, { type: "synthetic", input: {}, delayMs: 3_600_000 })),
    );
    expect((await call("PUT", `${board}/api/queues/synthetic/promote`, operator)).status).toBeLessThan(300);
    for (const j of jobs) await sys.waitForStatus(token, j.id, "completed");
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

describe("webhooks: per-org, managed by the org's admins (and services, operators)", () => {
  // Every webhook route for every caller, on a webhook of tenant t made by t's admin. Members are
  // refused (403) before any lookup; another org's admin gets 404 (the id stays unknowable).
  const manage: Record<Who, number> = {
    member: 403,
    "other member": 403,
    admin: 200,
    "other org's admin": 404,
    operator: 200,
    service: 200,
    "job token": 401,
    anonymous: 401,
  };
  it.each(everyone)("%s", async (who) => {
    const { t, o } = tenant();
    const owner = await headersOf("admin", t, o);
    const made = await call<{ webhook: { id: string; secret: string } }>("POST", "/v1/webhooks", owner, {
      url: "https://hooks.example.com/jobstream",
      events: ["job.completed"],
    });
    expect([made.status, made.body.webhook.secret]).toEqual([201, expect.stringMatching(/^whsec_/)]);
    const id = made.body.webhook.id;
    const headers = await headersOf(who, t, o);
    const expected = manage[who];
    const ok = (status: number) => (expected === 200 ? status : expected);

    const created = await call("POST", "/v1/webhooks", headers, { url: "https://x.example/h", events: ["job.failed"] });
    expect(created.status, "create").toBe(expected === 404 ? 201 : ok(201));
    const list = await call<{ webhooks: { id: string }[] }>("GET", `/v1/webhooks?orgId=${t.org}`, headers);
    expect(list.status, "list").toBe(expected === 404 ? 200 : expected);
    if (list.status === 200)
      expect(
        list.body.webhooks.some((w) => w.id === id),
        "listed",
      ).toBe(expected === 200);
    const read = await call<{ webhook: Record<string, unknown> }>("GET", `/v1/webhooks/${id}`, headers);
    expect(read.status, "read").toBe(expected);
    if (read.status === 200) expect(read.body.webhook).not.toHaveProperty("secret");
    expect((await call("PATCH", `/v1/webhooks/${id}`, headers, { types: ["synthetic"] })).status, "patch").toBe(
      expected,
    );
    const rotated = await call<{ webhook: { secret: string } }>("POST", `/v1/webhooks/${id}/rotate-secret`, headers);
    expect(rotated.status, "rotate").toBe(expected);
    if (rotated.status === 200) expect(rotated.body.webhook.secret).not.toBe(made.body.webhook.secret);
    expect((await call("GET", `/v1/webhooks/${id}/deliveries`, headers)).status, "deliveries").toBe(expected);
    const redeliver = await call("POST", `/v1/webhooks/${id}/deliveries/${randomUUID()}/redeliver`, headers);
    expect(redeliver.status, "redeliver (no such delivery)").toBe(ok(404));
    expect((await call("DELETE", `/v1/webhooks/${id}`, headers)).status, "delete").toBe(ok(204));
    expect((await call("GET", `/v1/webhooks/${id}`, owner)).status, "after delete").toBe(expected === 200 ? 404 : 200);
  });

  it("lets only services create for another org (403 naming orgId otherwise)", async () => {
    const { t, o } = tenant();
    const body = { url: "https://x.example/h", events: ["job.completed"], orgId: o.org };
    const service = await call<{ webhook: { orgId: string } }>(
      "POST",
      "/v1/webhooks",
      await headersOf("service", t, o),
      body,
    );
    expect([service.status, service.body.webhook.orgId]).toEqual([201, o.org]);
    for (const who of ["admin", "operator"] as const) {
      const res = await call("POST", "/v1/webhooks", await headersOf(who, t, o), body);
      expect([res.status, fieldsOf(res)], who).toEqual([403, ["orgId"]]);
    }
  });
});
