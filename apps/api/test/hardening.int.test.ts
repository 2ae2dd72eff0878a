import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { Redis } from "ioredis";
import { waitFor } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";

const it = systemTest((sys) => sys.startApi({ RATE_LIMIT_PER_MINUTE: "5", CORS_ORIGINS: "https://app.example.com" }));

describe("hardening", () => {
  it("limits requests per token with 429 and Retry-After, without touching other tokens", async ({ sys }) => {
    const token = await sys.token({ sub: randomUUID(), org: randomUUID(), role: "member" });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await sys.request("GET", "/v1/jobs", { token })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    const res = await fetch(`${sys.apiUrl}/v1/jobs`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await res.json()).toMatchObject({ error: { code: "rate_limited" } });
    const other = await sys.token({ sub: randomUUID(), org: randomUUID(), role: "member" });
    expect((await sys.request("GET", "/v1/jobs", { token: other })).status).toBe(200);
  });

  it("shares each token's budget between API processes", async ({ sys }) => {
    const other = await sys.startExtraApi({ RATE_LIMIT_PER_MINUTE: "5" });
    const [sub, org] = [randomUUID(), randomUUID()];
    const token = await sys.token({ sub, org, role: "member" });
    const get = async (url: string) =>
      (await fetch(`${url}/v1/jobs`, { headers: { authorization: `Bearer ${token}` } })).status;
    const first = [await get(sys.apiUrl), await get(sys.apiUrl), await get(sys.apiUrl)];
    // Each process adds what it counted to the shared counter every 50 ms (the documented
    // tolerance): wait until the first process's three are in Redis, however long that takes here.
    const redis = new Redis(sys.redisUrl);
    try {
      await waitFor(
        "the first process's hits in the shared counter",
        async () => Number(await redis.get(`${sys.prefix}:~ratelimit:user:${org}:${sub}`)) >= 3,
      );
    } finally {
      redis.disconnect();
    }
    const second = [await get(other.url), await get(other.url), await get(other.url)];
    expect([...first, ...second]).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it("sends security headers", async ({ sys }) => {
    const res = await fetch(`${sys.apiUrl}/healthz`);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(res.headers.get("x-powered-by")).toBeNull();
  });

  it("allows only the configured browser origins", async ({ sys }) => {
    const allowed = await fetch(`${sys.apiUrl}/v1/jobs`, {
      method: "OPTIONS",
      headers: { origin: "https://app.example.com", "access-control-request-method": "GET" },
    });
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    const denied = await fetch(`${sys.apiUrl}/v1/jobs`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example.net", "access-control-request-method": "GET" },
    });
    expect(denied.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("opens bull-board to operators only (org admins and members 403, anonymous 401)", async ({ sys }) => {
    const org = randomUUID();
    const member = await sys.token({ sub: randomUUID(), org, role: "member" });
    const orgAdmin = await sys.token({ sub: randomUUID(), org, role: "admin" });
    const admin = await sys.token({ sub: randomUUID(), org, role: "operator" });
    expect((await fetch(`${sys.apiUrl}/admin/queues`)).status).toBe(401);
    expect((await fetch(`${sys.apiUrl}/admin/queues`, { headers: { authorization: `Bearer ${member}` } })).status).toBe(
      403,
    );
    expect(
      (await fetch(`${sys.apiUrl}/admin/queues`, { headers: { authorization: `Bearer ${orgAdmin}` } })).status,
    ).toBe(403);
    expect(
      (await fetch(`${sys.apiUrl}/admin/queues/api/queues`, { headers: { authorization: `Bearer ${orgAdmin}` } }))
        .status,
    ).toBe(403);
    const page = await fetch(`${sys.apiUrl}/admin/queues`, { headers: { authorization: `Bearer ${admin}` } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const queues = await fetch(`${sys.apiUrl}/admin/queues/api/queues`, {
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(queues.status).toBe(200);
    const body = (await queues.json()) as { queues: { name: string }[] };
    expect(body.queues.map((q) => q.name).sort()).toEqual(["bulk", "import", "maintenance", "synthetic"]);
  });

  it("limits callers without a valid token by address, counting wrong job tokens and refused bearer tokens", async ({
    sys,
  }) => {
    // Every guess is a fresh token: each must still spend this address's budget.
    const guesses: number[] = [];
    for (let i = 0; i < 6; i++)
      guesses.push((await sys.request("GET", `/v1/jobs/${randomUUID()}?token=guess-${String(i)}`)).status);
    expect(guesses).toEqual([404, 404, 404, 404, 404, 429]);
    // No token at all, or another header naming a different client: the same address, the same budget
    // (no proxy is trusted).
    expect((await sys.request("GET", `/v1/jobs/${randomUUID()}`)).status).toBe(429);
    expect(
      (await sys.request("GET", `/v1/jobs/${randomUUID()}?token=x`, { headers: { "x-forwarded-for": "203.0.113.9" } }))
        .status,
    ).toBe(429);

    const forged: number[] = [];
    for (let i = 0; i < 6; i++)
      forged.push(
        (await sys.request("GET", "/v1/jobs", { headers: { authorization: `Bearer forged.${String(i)}.x` } })).status,
      );
    expect(forged).toEqual([401, 401, 401, 401, 401, 429]);
    // A caller with a valid token is counted per token, not by the address others abused.
    const token = await sys.token({ sub: randomUUID(), org: randomUUID(), role: "member" });
    expect((await sys.request("GET", "/v1/jobs", { token })).status).toBe(200);
  });

  it("names the client by X-Forwarded-For only from a trusted proxy (TRUST_PROXY)", async ({ sys }) => {
    const behindProxy = await sys.startExtraApi({ RATE_LIMIT_PER_MINUTE: "3", TRUST_PROXY: "loopback" });
    const get = async (client: string) =>
      (await fetch(`${behindProxy.url}/v1/jobs/${randomUUID()}?token=t`, { headers: { "x-forwarded-for": client } }))
        .status;
    const a = [
      await get("198.51.100.1"),
      await get("198.51.100.1"),
      await get("198.51.100.1"),
      await get("198.51.100.1"),
    ];
    expect(a).toEqual([404, 404, 404, 429]);
    expect(await get("198.51.100.2")).toBe(404);
  });
});
