import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { everyone, fieldsOf, it, type Who } from "./tenancy-fixture";

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
  it.for(everyone)("%s", async (who, { call, pair }) => {
    const { t } = pair;
    const owner = await pair.as("admin");
    const made = await call<{ webhook: { id: string; secret: string } }>("POST", "/v1/webhooks", owner, {
      url: "https://hooks.example.com/jobstream",
      events: ["job.completed"],
    });
    expect([made.status, made.body.webhook.secret]).toEqual([201, expect.stringMatching(/^whsec_/)]);
    const id = made.body.webhook.id;
    const headers = await pair.as(who);
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

  it("lets only services create for another org (403 naming orgId otherwise)", async ({ call, pair }) => {
    const body = { url: "https://x.example/h", events: ["job.completed"], orgId: pair.o.org };
    const service = await call<{ webhook: { orgId: string } }>("POST", "/v1/webhooks", await pair.as("service"), body);
    expect([service.status, service.body.webhook.orgId]).toEqual([201, pair.o.org]);
    for (const who of ["admin", "operator"] as const) {
      const res = await call("POST", "/v1/webhooks", await pair.as(who), body);
      expect([res.status, fieldsOf(res)], who).toEqual([403, ["orgId"]]);
    }
  });
});
