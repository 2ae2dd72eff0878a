import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { waitFor } from "@jobstream/testing";
import { everyone, fieldsOf, it, type Answer, type Pair, type Sign, type Who } from "./tenancy-fixture";

// POST /v1/jobs/bulk acts on the jobs a filter matches within the caller's scope: admins their
// org's, services and operators any org's; members are refused (403), callers without a bearer 401.

type Call = <T>(method: string, path: string, headers: Record<string, string>, body?: unknown) => Promise<Answer<T>>;

/** Tenant t's member puts 2 delayed jobs in a fresh group, another member of t 1, tenant o's member 1. */
async function seed(pair: Pair, sign: Sign, call: Call) {
  const groupId = `bulk-${randomUUID()}`;
  const job = { type: "synthetic", input: {}, delayMs: 3_600_000, groupId };
  const batch = async (headers: Record<string, string>, n: number) => {
    const res = await call<{ jobs: { job: { id: string } }[] }>("POST", "/v1/jobs/batch", headers, {
      jobs: Array.from({ length: n }, () => job),
    });
    expect(res.status).toBe(202);
    return res.body.jobs.map((j) => j.job.id);
  };
  const t = [
    ...(await batch(await pair.as("member"), 2)),
    ...(await batch(await sign({ sub: randomUUID(), org: pair.t.org, role: "member" }), 1)),
  ];
  const o = await batch(await sign({ sub: pair.o.owner, org: pair.o.org, role: "member" }), 1);
  return { groupId, t, o };
}

/** How many of the group's jobs each caller's bulk matches (202), or the status refusing it. */
const answers: Record<Who, { status: number; matched?: number }> = {
  member: { status: 403 },
  "other member": { status: 403 },
  admin: { status: 202, matched: 3 },
  "other org's admin": { status: 202, matched: 1 },
  operator: { status: 202, matched: 4 },
  service: { status: 202, matched: 4 },
  "job token": { status: 401 },
  anonymous: { status: 401 },
};

type Bulk = Answer<{ bulk: { id: string; matched: number } }>;

describe("bulk actions: who may, and over which jobs", () => {
  it.for(everyone)("%s bulk-cancels a group by filter", async (who, { call, pair, sign }) => {
    const { groupId } = await seed(pair, sign, call);
    const res: Bulk = await call("POST", "/v1/jobs/bulk", await pair.as(who), {
      action: "cancel",
      filter: { groupId },
    });
    const expected = answers[who];
    expect({ status: res.status, matched: res.status === 202 ? res.body.bulk.matched : undefined }).toEqual(expected);
  });

  it.for(everyone)(
    "%s dry-runs a bulk cancel: the same count (200), no job touched",
    async (who, { call, pair, sign, sys }) => {
      const { groupId, t, o } = await seed(pair, sign, call);
      const res = await call<{ matched: number }>("POST", "/v1/jobs/bulk", await pair.as(who), {
        action: "cancel",
        filter: { groupId },
        dryRun: true,
      });
      const { status, matched } = answers[who];
      expect({ status: res.status, matched: res.status === 200 ? res.body.matched : undefined }).toEqual(
        status === 202 ? { status: 200, matched } : { status },
      );
      expect(await sys.countInStatus([...t, ...o], "delayed")).toBe(4);
      const bulkJobs = await sys.query("SELECT 1 FROM jobs WHERE type = 'bulk' AND input->'filter'->>'groupId' = $1", [
        groupId,
      ]);
      expect(bulkJobs).toEqual([]);
    },
  );

  it("cancels an admin's org's matching jobs only, even with a filter naming another org", async ({
    call,
    pair,
    sign,
    sys,
  }) => {
    const { groupId, t, o } = await seed(pair, sign, call);
    const admin = await pair.as("admin");
    const res: Bulk = await call("POST", "/v1/jobs/bulk", admin, {
      action: "cancel",
      filter: { groupId, orgId: pair.o.org, status: "delayed" },
    });
    expect([res.status, res.body.bulk.matched]).toEqual([202, 3]);
    const id = res.body.bulk.id;
    const done = await waitFor(
      "the bulk job to complete",
      async () => {
        const job = await call<{ status: string; output: unknown }>("GET", `/v1/jobs/${id}`, admin);
        return job.body.status === "completed" ? job.body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(done.output).toEqual({ done: 3, skipped: 0, batches: 1 });
    expect(await sys.countInStatus(t, "cancelled")).toBe(3);
    expect(await sys.countInStatus(o, "delayed")).toBe(1);
    // Each touched job's timeline names the bulk job, once.
    const events = await sys.query<{ job_id: string }>(
      `SELECT job_id FROM job_events WHERE type = 'cancelled' AND data->>'by' = $1`,
      [`bulk:${id}`],
    );
    expect(events.map((e) => e.job_id).sort()).toEqual([...t].sort());
    // The bulk job reads like any job of the admin's org: another org's admin gets 404.
    expect((await call("GET", `/v1/jobs/${id}`, await pair.as("other org's admin"))).status).toBe(404);
    expect((await call("GET", `/v1/jobs/${id}/items`, admin)).status).toBe(200);
  });

  it("retries, then deletes, by filter", async ({ call, pair, sign, sys }) => {
    const { groupId, o } = await seed(pair, sign, call);
    const service = await pair.as("service");
    const ids = await sys.query<{ id: string }>("SELECT id::text FROM jobs WHERE group_id = $1", [groupId]);
    let lastBulk = "";
    const run = async (action: string, status: string) => {
      const res: Bulk = await call("POST", "/v1/jobs/bulk", service, { action, filter: { groupId, status } });
      expect(res.status).toBe(202);
      await sys.waitForStatus(await sys.token({ role: "service" }), res.body.bulk.id, "completed");
      lastBulk = res.body.bulk.id;
      return res.body.bulk.matched;
    };
    expect(await run("cancel", "delayed")).toBe(4);
    expect(await run("retry", "cancelled")).toBe(4);
    expect(await sys.countInStatus(o, "delayed")).toBe(1);
    expect(await run("cancel", "delayed")).toBe(4);
    expect(await run("delete", "cancelled")).toBe(4);
    expect(await sys.query("SELECT 1 FROM jobs WHERE group_id = $1", [groupId])).toEqual([]);
    // The deleted jobs' timelines went with them: the bulk job's batch item lists them.
    const items = await call<{ items: { after: { deleted?: string[] } | null }[] }>(
      "GET",
      `/v1/jobs/${lastBulk}/items`,
      service,
    );
    expect(items.body.items.flatMap((i) => i.after?.deleted ?? []).sort()).toEqual(ids.map((r) => r.id).sort());
  });

  it.for([
    ["an unknown action", { action: "purge", filter: { status: "failed" } }, "action"],
    ["an unknown filter field", { action: "cancel", filter: { colour: "red" } }, "filter"],
    ["a bad status", { action: "retry", filter: { status: "done" } }, "filter.status"],
    ["an empty filter", { action: "delete", filter: {} }, "filter"],
    ["no filter", { action: "cancel" }, "filter"],
    ["all: false", { action: "cancel", filter: {}, all: false }, "all"],
    ["a dry run that is not a boolean", { action: "cancel", filter: { status: "failed" }, dryRun: "yes" }, "dryRun"],
    ["a dry run of an empty filter", { action: "cancel", filter: {}, dryRun: true }, "filter"],
    [
      "a dry run of a bad filter",
      { action: "cancel", filter: { createdFrom: "soon" }, dryRun: true },
      "filter.createdFrom",
    ],
  ] as const)("refuses %s (400 naming the field)", async ([, body, field], { call, pair }) => {
    const res = await call("POST", "/v1/jobs/bulk", await pair.as("admin"), body);
    expect(res.status).toBe(400);
    expect(fieldsOf(res).some((p) => p.startsWith(field))).toBe(true);
  });
});
