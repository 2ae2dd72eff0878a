import { describe, expect } from "vitest";
import { SYSTEM_ORG_ID } from "@jobstream/contract";
import { errorOf, fieldsOf, it, type Answer, type Pair, type Who } from "./tenancy-fixture";

type Call = <T = Record<string, unknown>>(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
) => Promise<Answer<T>>;

const scheduleBody = (name: string, job: Record<string, unknown> = {}) => ({
  name,
  everyMs: 3_600_000,
  paused: true,
  job: { type: "synthetic", subtype: "noop", input: {}, ...job },
});

/** A paused schedule of tenant t's member (paused: its runs would only add noise here). */
async function memberSchedule(call: Call, pair: Pair, name: string): Promise<string> {
  const made = await call<{ schedule: { id: string } }>(
    "POST",
    "/v1/schedules",
    await pair.as("member"),
    scheduleBody(name),
  );
  expect(made.status).toBe(201);
  return made.body.schedule.id;
}

describe("schedules (/v1/schedules): the jobs' access rule", () => {
  // Reads and acts like the jobs: member its own, admin its org's, operator and service all; others 404; no bearer 401.
  const table: [Who, number, number][] = [
    ["member", 200, 201],
    ["other member", 404, 201],
    ["admin", 200, 201],
    ["other org's admin", 404, 201],
    ["operator", 200, 201],
    ["service", 200, 201],
    ["job token", 401, 401],
    ["anonymous", 401, 401],
  ];
  it.for(table)(
    "%s reads, changes and deletes: %i; creates: %i",
    async ([who, status, createStatus], { sys, call, pair }) => {
      const headers = await pair.as(who);
      const id = await memberSchedule(call, pair, `tenancy ${who}`);
      expect((await call("GET", `/v1/schedules/${id}`, headers)).status, "get").toBe(status);
      const list = await call<{ schedules: { id: string }[] }>("GET", "/v1/schedules?limit=500", headers);
      expect(list.status, "list").toBe(status === 401 ? 401 : 200);
      if (list.status === 200)
        expect(
          list.body.schedules.some((s) => s.id === id),
          "listed",
        ).toBe(status === 200);
      const renamed = await call("PATCH", `/v1/schedules/${id}`, headers, { name: `renamed by ${who}` });
      expect(renamed.status, "patch").toBe(status);
      expect((await call("PATCH", `/v1/schedules/${id}`, headers, { paused: false })).status, "resume").toBe(status);
      expect((await call("PATCH", `/v1/schedules/${id}`, headers, { paused: true })).status, "pause").toBe(status);
      const [row] = await sys.query<{ name: string }>(`SELECT name FROM schedules WHERE id = $1`, [id]);
      expect(row?.name).toBe(status === 200 ? `renamed by ${who}` : `tenancy ${who}`);
      const deleted = await call("DELETE", `/v1/schedules/${id}`, headers);
      expect(deleted.status, "delete").toBe(status === 200 ? 204 : status);
      expect(await sys.query(`SELECT 1 FROM schedules WHERE id = $1`, [id])).toHaveLength(status === 200 ? 0 : 1);
      const made = await call("POST", "/v1/schedules", headers, scheduleBody(`made by ${who}`));
      expect(made.status, "create").toBe(createStatus);
    },
  );

  it("creates for the types a caller may enqueue, and for another org or user only as a service", async ({
    call,
    pair,
  }) => {
    const { t, o } = pair;
    const sweep = { type: "maintenance", subtype: "cleanup", input: { dryRun: true, maxBatches: 1 } };
    const member = await call("POST", "/v1/schedules", await pair.as("member"), scheduleBody("x", sweep));
    expect([member.status, fieldsOf(member)]).toEqual([400, ["job.type"]]);
    const operator = await call("POST", "/v1/schedules", await pair.as("operator"), scheduleBody("x", sweep));
    expect(operator.status).toBe(201);
    const forOrg = scheduleBody("for the tenant", { orgId: t.org, userId: t.owner });
    const admin = await call("POST", "/v1/schedules", await pair.as("admin"), forOrg);
    expect([admin.status, fieldsOf(admin)]).toEqual([403, ["job.orgId"]]);
    const service = await call<{ schedule: { id: string } }>("POST", "/v1/schedules", await pair.as("service"), forOrg);
    expect(service.status).toBe(201);
    // Made for the member: the member reads it, and a service cannot move it to another owner.
    const id = service.body.schedule.id;
    expect((await call("GET", `/v1/schedules/${id}`, await pair.as("member"))).status).toBe(200);
    const moved = await call("PATCH", `/v1/schedules/${id}`, await pair.as("service"), {
      job: { type: "synthetic", input: {}, orgId: o.org },
    });
    expect([moved.status, fieldsOf(moved)]).toEqual([400, ["job.orgId"]]);
    const system = await call("POST", "/v1/schedules", await pair.as("service"), {
      ...scheduleBody("system", { orgId: SYSTEM_ORG_ID }),
    });
    expect([system.status, fieldsOf(system)]).toEqual([403, ["job.orgId"]]);
  });

  it("shows the system's retention schedule to operators and services, never to tenants; no one deletes it", async ({
    call,
    pair,
  }) => {
    const operator = await pair.as("operator");
    const all = await call<{ schedules: { id: string; name: string }[] }>("GET", "/v1/schedules?limit=500", operator);
    const retention = all.body.schedules.find((s) => s.name === "Retention sweep");
    if (!retention) throw new Error("no retention schedule");
    for (const who of ["member", "admin"] as const) {
      const headers = await pair.as(who);
      const listed = await call<{ schedules: { id: string }[] }>("GET", "/v1/schedules?limit=500", headers);
      expect(
        listed.body.schedules.map((s) => s.id),
        who,
      ).not.toContain(retention.id);
      expect((await call("GET", `/v1/schedules/${retention.id}`, headers)).status, who).toBe(404);
      expect((await call("PATCH", `/v1/schedules/${retention.id}`, headers, { paused: true })).status, who).toBe(404);
      expect((await call("DELETE", `/v1/schedules/${retention.id}`, headers)).status, who).toBe(404);
    }
    const service = await pair.as("service");
    expect((await call("GET", `/v1/schedules/${retention.id}`, service)).status).toBe(200);
    const deleted = await call("DELETE", `/v1/schedules/${retention.id}`, operator);
    expect([deleted.status, errorOf(deleted).code]).toEqual([409, "conflict"]);
  });
});
