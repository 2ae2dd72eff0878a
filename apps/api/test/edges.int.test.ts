import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";
import { describe, expect } from "vitest";
import { systemTest } from "@jobstream/testing/fixtures";

// Edges a security probe of the merged system found: each answered 500, leaked detail, or let a
// token or a schedule outlive its bounds.
const org = randomUUID();
/** `started`: a member's and an admin's token in one org. */
const it = systemTest(async (sys) => {
  await sys.startApi();
  await sys.startWorker("work,mirror");
  return { member: await sys.token({ org, role: "member" }), admin: await sys.token({ org, role: "admin" }) };
});

interface ErrorBody {
  error: { code: string; details?: { path: string }[] };
}
const fieldOf = (body: unknown) => (body as ErrorBody).error.details?.map((d) => d.path);

describe("bounds the probe found", () => {
  it("refuses an item cursor beyond Postgres' bigint, on items and dead letters, with 400", async ({
    sys,
    started: { member },
  }) => {
    const job = await sys.enqueue(member, { type: "synthetic", input: { items: 2 } });
    const cursor = Buffer.from("9999999999999999999").toString("base64url");
    const items = await sys.request("GET", `/v1/jobs/${job.id}/items?cursor=${cursor}`, { token: member });
    expect(items.status).toBe(400);
    expect(fieldOf(items.body)).toEqual(["cursor"]);
    const operator = await sys.token({ role: "operator" });
    const letters = await sys.request("GET", `/v1/admin/mirror/dead-letters?cursor=${cursor}`, { token: operator });
    expect(letters.status).toBe(400);
  });

  it("refuses year 0000 and runAt more than a year ahead with 400 naming the field", async ({
    sys,
    started: { member, admin },
  }) => {
    for (const field of ["createdFrom", "createdTo"]) {
      const list = await sys.request("GET", `/v1/jobs?${field}=0000-01-01T00:00:00Z`, { token: admin });
      expect(list.status).toBe(400);
      expect(fieldOf(list.body)).toEqual([field]);
    }
    const forged = Buffer.from(JSON.stringify(["0000-01-01T00:00:00.000Z", randomUUID()])).toString("base64url");
    expect((await sys.request("GET", `/v1/jobs?cursor=${forged}`, { token: admin })).status).toBe(400);
    for (const runAt of [
      "0000-01-01T00:00:00Z",
      "9999-12-31T23:59:59Z",
      new Date(Date.now() + 400 * 86_400_000).toISOString(),
    ]) {
      const enqueued = await sys.request("POST", "/v1/jobs", {
        token: member,
        body: { type: "synthetic", input: {}, runAt },
      });
      expect(enqueued.status).toBe(400);
      expect(fieldOf(enqueued.body)).toEqual(["runAt"]);
    }
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    expect(
      (await sys.request("POST", "/v1/jobs", { token: member, body: { type: "synthetic", input: {}, runAt: soon } }))
        .status,
    ).toBe(202);
  });

  it("counts a token's lifetime from now when its iat lies in the future", async ({ sys }) => {
    const now = Math.floor(Date.now() / 1000);
    const future = await new SignJWT({ org, role: "member" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(randomUUID())
      .setIssuedAt(now + 10 * 365 * 86_400)
      .setExpirationTime(now + 10 * 365 * 86_400 + 60)
      .sign(new TextEncoder().encode(sys.secret));
    expect((await sys.request("GET", "/v1/session", { token: future })).status).toBe(401);
  });

  it("treats upper-case uuid claims as the same caller", async ({ sys }) => {
    const user = randomUUID();
    const lower = await sys.token({ org, sub: user, role: "member" });
    const upper = await sys.token({ org: org.toUpperCase(), sub: user.toUpperCase(), role: "member" });
    const job = await sys.enqueue(lower, { type: "synthetic", input: {} });
    expect((await sys.request("GET", `/v1/jobs/${job.id}`, { token: upper })).status).toBe(200);
  });
});

describe("error stacks", () => {
  it("are shown to operators and services, not to the org's admin or member", async ({
    sys,
    started: { member, admin },
  }) => {
    const job = await sys.enqueue(member, { type: "synthetic", input: { failAttempts: 5 }, maxAttempts: 1 });
    await sys.waitForStatus(member, job.id, "failed");
    interface View {
      error: { code: string; stack?: string } | null;
    }
    for (const [role, token] of [
      ["member", member],
      ["admin", admin],
    ] as const) {
      const view = await sys.request<View>("GET", `/v1/jobs/${job.id}`, { token });
      expect(view.status, role).toBe(200);
      expect(view.body.error?.code, role).toBeTruthy();
      expect(view.body.error?.stack, role).toBeUndefined();
    }
    for (const role of ["operator", "service"] as const) {
      const view = await sys.request<View>("GET", `/v1/jobs/${job.id}`, { token: await sys.token({ role }) });
      expect(view.body.error?.stack, role).toMatch(/\n\s+at /);
    }
  });
});
