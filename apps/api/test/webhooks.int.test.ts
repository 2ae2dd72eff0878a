import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { systemTest } from "@jobstream/testing/fixtures";

interface ErrorBody {
  error: { code: string; details?: { path: string }[] };
}
/** `admin`: an admin's token in an org of its own; `create`: a webhook created as that admin, or as `token`. */
const it = systemTest((sys) => sys.startApi())
  .extend("admin", { scope: "file" }, ({ sys }) => sys.token({ org: randomUUID(), role: "admin" }))
  .extend(
    "create",
    ({ sys, admin }) =>
      (body: unknown, token = admin) =>
        sys.request<ErrorBody & { webhook: { id: string } }>("POST", "/v1/webhooks", { token, body }),
  );
const fields = (body: ErrorBody) => [body.error.code, (body.error.details ?? []).map((d) => d.path)];
const valid = { url: "https://hooks.example.com/in", events: ["job.completed"] };

describe("webhook validation", () => {
  it.for([
    ["a URL that is not one", { ...valid, url: "not a url" }, ["url"]],
    ["a URL that is not http(s)", { ...valid, url: "ftp://hooks.example.com/x" }, ["url"]],
    ["an unknown event", { ...valid, events: ["job.exploded"] }, ["events.0"]],
    ["group.completed (no groups yet)", { ...valid, events: ["group.completed"] }, ["events.0"]],
    ["no events", { ...valid, events: [] }, ["events"]],
    ["a repeated event", { ...valid, events: ["job.failed", "job.failed"] }, ["events"]],
    ["an unknown job type", { ...valid, types: ["synthetic", "nope"] }, ["types.1"]],
    ["a system type an admin cannot enqueue", { ...valid, types: ["maintenance"] }, ["types.0"]],
    ["an unknown field", { ...valid, secret: "whsec_mine" }, [""]],
    ["loopback", { ...valid, url: "http://127.0.0.1:8080/x" }, ["url"]],
    ["localhost", { ...valid, url: "http://localhost/x" }, ["url"]],
    ["IPv6 loopback", { ...valid, url: "http://[::1]/x" }, ["url"]],
    ["link-local (cloud metadata)", { ...valid, url: "http://169.254.169.254/latest" }, ["url"]],
    ["a private network", { ...valid, url: "https://10.0.0.7/x" }, ["url"]],
    ["IPv4-mapped IPv6 loopback", { ...valid, url: "http://[::ffff:127.0.0.1]/x" }, ["url"]],
  ] as const)("refuses %s (400 naming the field)", async ([, body, paths], { create }) => {
    const res = await create(body);
    expect(res.status).toBe(400);
    expect(fields(res.body)).toEqual(["validation_failed", paths]);
  });

  it("refuses the same in PATCH, and ids that are not uuids", async ({ sys, admin, create }) => {
    const made = await create(valid);
    const id = made.body.webhook.id;
    const patch = await sys.request<ErrorBody>("PATCH", `/v1/webhooks/${id}`, {
      token: admin,
      body: { url: "http://localhost:1/x" },
    });
    expect([patch.status, ...fields(patch.body)]).toEqual([400, "validation_failed", ["url"]]);
    const bad = await sys.request<ErrorBody>("GET", "/v1/webhooks/nope", { token: admin });
    expect([bad.status, ...fields(bad.body)]).toEqual([400, "validation_failed", ["id"]]);
  });

  it("accepts private addresses where WEBHOOK_ALLOW_PRIVATE=true", async ({ sys, admin }) => {
    const { url } = await sys.startExtraApi({ WEBHOOK_ALLOW_PRIVATE: "true" });
    const res = await fetch(`${url}/v1/webhooks`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
      body: JSON.stringify({ ...valid, url: "http://127.0.0.1:9/x" }),
    });
    expect(res.status).toBe(201);
  });
});

describe("webhook lists and redelivery", () => {
  it("pages newest first with a cursor", async ({ sys, create }) => {
    const token = await sys.token({ org: randomUUID(), role: "admin" });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await create(valid, token)).body.webhook.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? "?limit=2" : `?limit=2&cursor=${cursor}`;
      const page: { status: number; body: { webhooks: { id: string }[]; nextCursor: string | null } } =
        await sys.request("GET", `/v1/webhooks${query}`, { token });
      expect(page.status).toBe(200);
      seen.push(...page.body.webhooks.map((w) => w.id));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(ids.reverse());
    expect((await sys.request("GET", "/v1/webhooks?cursor=not-ours", { token })).status).toBe(400);
  });

  it("refuses to redeliver for a disabled webhook (409) until it is enabled again", async ({ sys, admin, create }) => {
    const made = await create(valid);
    const id = made.body.webhook.id;
    const deliveryId = randomUUID();
    await sys.query(
      `INSERT INTO webhook_deliveries (id, webhook_id, job_id, event, payload, status, next_attempt_at)
       VALUES ($1, $2, $3, 'job.completed', '{}', 'failed', NULL)`,
      [deliveryId, id, randomUUID()],
    );
    await sys.query(`UPDATE webhooks SET enabled = false, disabled_reason = 'test' WHERE id = $1`, [id]);
    const path = `/v1/webhooks/${id}/deliveries/${deliveryId}/redeliver`;
    expect((await sys.request("POST", path, { token: admin })).status).toBe(409);
    expect((await sys.request("PATCH", `/v1/webhooks/${id}`, { token: admin, body: { enabled: true } })).status).toBe(
      200,
    );
    const again = await sys.request<{ delivery: { id: string; status: string } }>("POST", path, { token: admin });
    expect([again.status, again.body.delivery.status]).toEqual([202, "pending"]);
  });
});
