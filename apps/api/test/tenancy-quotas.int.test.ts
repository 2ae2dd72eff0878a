import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { type System } from "@jobstream/testing";
import { errorOf, it as fixtureTest, type Answer } from "./tenancy-fixture";

/** Per test: a fresh org with a member, a job group, and the API processes with quotas on. */
const it = fixtureTest.extend("quota", async ({ apis, sign }) => {
  const org = randomUUID();
  return { apis, sign, org, group: randomUUID(), member: await sign({ sub: randomUUID(), org, role: "member" }) };
});

describe("per-org quotas", () => {
  const delayed = (group: string) => ({ type: "synthetic", input: {}, delayMs: 3_600_000, groupId: group });
  const count = async (sys: System, org: string) =>
    (await sys.query(`SELECT 1 FROM jobs WHERE org_id = $1`, [org])).length;
  const expectQuota = (res: Answer<unknown>, limit: string, value: number) => {
    expect(res.status).toBe(429);
    expect(errorOf(res).code).toBe("quota_exceeded");
    expect(errorOf(res).details).toMatchObject({ limit, value });
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(res.headers.get("retry-after"))).toBeLessThanOrEqual(60);
  };

  it("limits an org's unfinished jobs; a batch over it stores nothing; finished jobs do not count", async ({
    quota,
    call,
    sys,
  }) => {
    const { apis, org, member, group, sign } = quota;
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
    expect(await count(sys, org)).toBe(2);
    const third = await call<{ job: { id: string } }>("POST", "/v1/jobs", member, delayed(group), apis.unfinished);
    expect(third.status).toBe(202);
    // Another member and a service acting for the org share the org's quota; other orgs do not.
    expectQuota(
      await call(
        "POST",
        "/v1/jobs",
        await sign({ sub: randomUUID(), org, role: "admin" }),
        delayed(group),
        apis.unfinished,
      ),
      "maxUnfinishedJobs",
      3,
    );
    const service = await sign({ sub: randomUUID(), org: randomUUID(), role: "service" });
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
    expect(await count(sys, org)).toBe(4);
  });

  it("limits an org's enqueue rate over all its callers; a batch over it stores nothing", async ({
    quota,
    call,
    sys,
  }) => {
    const { apis, org, member, group, sign } = quota;
    expect(
      (await call("POST", "/v1/jobs/batch", member, { jobs: [1, 2, 3, 4].map(() => delayed(group)) }, apis.rate))
        .status,
    ).toBe(202);
    expectQuota(
      await call("POST", "/v1/jobs/batch", member, { jobs: [delayed(group), delayed(group)] }, apis.rate),
      "enqueuePerMinute",
      5,
    );
    expect(await count(sys, org)).toBe(4);
    expect(
      (await call("POST", "/v1/jobs", await sign({ sub: randomUUID(), org, role: "admin" }), delayed(group), apis.rate))
        .status,
    ).toBe(202);
    expectQuota(await call("POST", "/v1/jobs", member, delayed(group), apis.rate), "enqueuePerMinute", 5);
    expect(await count(sys, org)).toBe(5);
    // Another org has its own budget.
    expect(
      (
        await call(
          "POST",
          "/v1/jobs",
          await sign({ sub: randomUUID(), org: randomUUID(), role: "member" }),
          delayed(group),
          apis.rate,
        )
      ).status,
    ).toBe(202);
  });

  it("limits the items an org's jobs declare per minute, so few jobs cannot bury the shared mirror", async ({
    quota,
    call,
    sys,
  }) => {
    const { apis, org, member, group, sign } = quota;
    const items = (n: number) => ({ ...delayed(group), input: { items: n } });
    expect((await call("POST", "/v1/jobs/batch", member, { jobs: [items(40), items(40)] }, apis.items)).status).toBe(
      202,
    );
    expectQuota(
      await call("POST", "/v1/jobs/batch", member, { jobs: [items(10), items(11)] }, apis.items),
      "itemsPerMinute",
      100,
    );
    expect(await count(sys, org)).toBe(2);
    // Jobs that declare no items still pass; the remaining 20 items can be taken.
    expect((await call("POST", "/v1/jobs", member, delayed(group), apis.items)).status).toBe(202);
    expect((await call("POST", "/v1/jobs", member, items(20), apis.items)).status).toBe(202);
    expect(await count(sys, org)).toBe(4);
    // Another org has its own budget.
    const other = await sign({ sub: randomUUID(), org: randomUUID(), role: "member" });
    expect((await call("POST", "/v1/jobs", other, items(100), apis.items)).status).toBe(202);
  });
});
