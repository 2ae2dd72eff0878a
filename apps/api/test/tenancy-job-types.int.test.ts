import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { SYSTEM_ORG_ID } from "@jobstream/contract";
import { csvOf, errorOf, fieldsOf, it, type Who } from "./tenancy-fixture";

describe("which job types exist for whom", () => {
  // Types listed by GET /v1/job-types, and what enqueueing the system type answers (400 "unknown
  // type" where it is hidden: the same answer as a type that does not exist).
  const table: [Who, string[] | null, number][] = [
    ["member", ["synthetic", "import"], 400],
    ["other member", ["synthetic", "import"], 400],
    ["admin", ["synthetic", "import"], 400],
    ["other org's admin", ["synthetic", "import"], 400],
    ["operator", ["synthetic", "import", "maintenance", "bulk"], 202],
    ["service", ["synthetic", "import", "maintenance", "bulk"], 202],
    ["job token", null, 401],
    ["anonymous", null, 401],
  ];
  it.for(table)(
    "%s sees %j and enqueueing maintenance answers %i",
    async ([who, types, enqueueStatus], { sys, call, pair }) => {
      const headers = await pair.as(who);
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
    },
  );

  it("hides the synthetic types where ENABLE_SYNTHETIC_JOBS is off, for every role", async ({ apis, call, pair }) => {
    for (const who of ["member", "admin", "operator", "service"] as const) {
      const headers = await pair.as(who);
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

  it("refuses the system org: as a token's org (401) and as a service's orgId (403 naming orgId)", async ({
    sign,
    call,
  }) => {
    const systemToken = await sign({ sub: randomUUID(), org: SYSTEM_ORG_ID, role: "service" });
    expect((await call("GET", "/v1/jobs", systemToken)).status).toBe(401);
    expect((await call("POST", "/v1/jobs", systemToken, { type: "import", input: csvOf(1) })).status).toBe(401);
    const service = await sign({ sub: randomUUID(), org: randomUUID(), role: "service" });
    const res = await call("POST", "/v1/jobs", service, {
      type: "maintenance",
      input: {},
      orgId: SYSTEM_ORG_ID,
      idempotencyKey: "retention:1",
    });
    expect([res.status, errorOf(res).code, fieldsOf(res)]).toEqual([403, "forbidden", ["orgId"]]);
  });

  it("refuses a job asking for more items than its type allows (400 naming input)", async ({ call, pair }) => {
    const headers = await pair.as("member");
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
