import { describe, expect } from "vitest";
import { everyone, fieldsOf, it, jobReaders } from "./tenancy-fixture";

/** A child that waits an hour: the flow stays as it is while every caller looks at it. */
const sleepyChild = { type: "synthetic", subtype: "noop", input: {}, delayMs: 3_600_000 };

describe("flows: sub-jobs follow their parent's access rules", () => {
  // Listing a job's children is reading the job (the job's own access token reads that one job only).
  const list = jobReaders(200);
  // Attaching a new job under t's job: only callers who may read it, in its org (operators and
  // services enqueue into their own org here); for the others the parent does not exist (400).
  const attach = { ...jobReaders(202, 400), operator: 400, service: 400 };
  it.for(everyone)("%s", async (who, { call, pair }) => {
    const owner = await pair.as("member");
    const flow = await call<{ job: { id: string }; children: { job: { id: string } }[] }>("POST", "/v1/jobs", owner, {
      type: "synthetic",
      subtype: "gather",
      input: {},
      children: [sleepyChild],
    });
    expect(flow.status).toBe(202);
    const parent = flow.body.job.id;
    const child = flow.body.children[0]?.job.id;
    const headers = await pair.as(who);

    const children = await call<{ jobs: { id: string }[] }>("GET", `/v1/jobs/${parent}/children`, headers);
    expect(children.status, "children").toBe(list[who]);
    if (children.status === 200) expect(children.body.jobs.map((j) => j.id)).toEqual([child]);
    const view = await call<{ children?: { total: number } }>("GET", `/v1/jobs/${parent}`, headers);
    if (view.status === 200) expect(view.body.children?.total, "summary").toBe(1);

    const attached = await call("POST", "/v1/jobs", headers, {
      type: "synthetic",
      subtype: "gather",
      input: {},
      parentId: parent,
      children: [sleepyChild],
    });
    expect(attached.status, "attach").toBe(attach[who]);
    if (attached.status === 400) expect(fieldsOf(attached)).toEqual(["parentId"]);
  });

  it("refuses a sub-job that names a parent, an org, a user, a group or a key of its own", async ({ call, pair }) => {
    const member = await pair.as("member");
    const service = await pair.as("service");
    for (const [headers, field, value] of [
      [member, "parentId", pair.t.job.id],
      [member, "groupId", "g"],
      [member, "idempotencyKey", "k"],
      [service, "orgId", pair.o.org],
      [service, "userId", pair.o.owner],
    ] as const) {
      const res = await call("POST", "/v1/jobs", headers, {
        type: "synthetic",
        input: {},
        ...(headers === service ? { orgId: pair.t.org } : {}),
        children: [{ ...sleepyChild, [field]: value }],
      });
      expect([res.status, fieldsOf(res)], field).toEqual([400, [`children.0.${field}`]]);
    }
  });
});
