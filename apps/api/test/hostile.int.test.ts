import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { signToken, unsignedToken } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";
import { type ErrorBody } from "./hostile-matrix";

// Hostile request bodies and tokens; every field of every endpoint is in hostile-fields.int.test.ts.
const it = systemTest((sys) => sys.startApi({ RATE_LIMIT_PER_MINUTE: "100000" }));

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

const ok = { type: "synthetic", subtype: "noop", input: {} };
const big = "x".repeat(1_048_576);

/** [what, body (object → JSON, string → sent raw), content type, expected status, field path if any] */
const hostile: [string, unknown, string, number, string?][] = [
  ["empty object", {}, "application/json", 400, "type"],
  ["array body", [ok], "application/json", 400],
  ["null body", "null", "application/json", 400],
  ["number body", "42", "application/json", 400],
  ["string body", '"hello"', "application/json", 400],
  ["non-JSON", "{type: synthetic", "application/json", 400],
  ["truncated JSON", '{"type":"synthetic","input":{', "application/json", 400],
  ["type as number", { ...ok, type: 7 }, "application/json", 400, "type"],
  ["unknown type", { ...ok, type: "nope" }, "application/json", 400, "type"],
  ["unknown subtype", { ...ok, subtype: "nope" }, "application/json", 400, "subtype"],
  ["prototype type name", { ...ok, type: "__proto__" }, "application/json", 400, "type"],
  ["unknown top-level field", { ...ok, colour: "red" }, "application/json", 400],
  ["unknown input field", { ...ok, input: { itemz: 3 } }, "application/json", 400, "input"],
  ["input as string", { ...ok, input: "{}" }, "application/json", 400, "input"],
  ["negative items", { ...ok, input: { items: -1 } }, "application/json", 400, "input.items"],
  ["float items", { ...ok, input: { items: 1.5 } }, "application/json", 400, "input.items"],
  ["huge items", { ...ok, input: { items: 1e12 } }, "application/json", 400, "input.items"],
  ["priority too high", { ...ok, priority: 101 }, "application/json", 400, "priority"],
  ["priority negative", { ...ok, priority: -1 }, "application/json", 400, "priority"],
  ["priority as string", { ...ok, priority: "high" }, "application/json", 400, "priority"],
  ["maxAttempts zero", { ...ok, maxAttempts: 0 }, "application/json", 400, "maxAttempts"],
  ["maxAttempts huge", { ...ok, maxAttempts: 1000 }, "application/json", 400, "maxAttempts"],
  ["bad parentId uuid", { ...ok, parentId: "not-a-uuid" }, "application/json", 400, "parentId"],
  ["unknown parentId", { ...ok, parentId: randomUUID() }, "application/json", 400, "parentId"],
  ["bad runAt", { ...ok, runAt: "tomorrow" }, "application/json", 400, "runAt"],
  ["runAt and delayMs", { ...ok, runAt: new Date().toISOString(), delayMs: 5 }, "application/json", 400, "delayMs"],
  ["negative delay", { ...ok, delayMs: -5 }, "application/json", 400, "delayMs"],
  ["metadata as array", { ...ok, metadata: [1, 2] }, "application/json", 400, "metadata"],
  ["metadata too large", { ...ok, metadata: { x: "y".repeat(20_000) } }, "application/json", 400, "metadata"],
  ["1,000-deep nesting", { ...ok, metadata: nested(1000) }, "application/json", 400],
  ["1,000-deep nesting in input", { ...ok, input: { output: nested(1000) } }, "application/json", 400],
  ["1 MB string in name", { ...ok, name: big }, "application/json", 413],
  ["1 MB string in input", { ...ok, input: { output: big } }, "application/json", 413],
  ["5 MB body", { ...ok, metadata: { x: "y".repeat(5 * 1_048_576) } }, "application/json", 413],
  ["orgId from a member", { ...ok, orgId: randomUUID() }, "application/json", 403, "orgId"],
  ["backoff type unknown", { ...ok, backoff: { type: "random", delayMs: 1 } }, "application/json", 400, "backoff.type"],
  ["expiresInSeconds too small", { ...ok, expiresInSeconds: 1 }, "application/json", 400, "expiresInSeconds"],
  ["idempotency key too long", { ...ok, idempotencyKey: "k".repeat(201) }, "application/json", 400, "idempotencyKey"],
  ["wrong content type", JSON.stringify(ok), "text/plain", 415],
  ["form content type", "type=synthetic", "application/x-www-form-urlencoded", 415],
  [
    "csv with unknown key column",
    { type: "import", input: { csv: "a\n1", columns: [{ name: "a", type: "string" }], keyColumn: "b" } },
    "application/json",
    400,
    "input.keyColumn",
  ],
];

describe("hostile bodies", () => {
  it.for(hostile)("%s → 4xx in the documented shape", async ([, body, contentType, status, path], { sys, member }) => {
    const res = await sys.request<ErrorBody>("POST", "/v1/jobs", {
      token: member,
      body: typeof body === "string" ? body : JSON.stringify(body),
      headers: { "content-type": contentType },
    });
    expect(res.status).toBe(status);
    expect(typeof res.body.error?.code).toBe("string");
    expect(typeof res.body.error?.message).toBe("string");
    expect(JSON.stringify(res.body)).not.toMatch(/\bat .+:\d+:\d+|node_modules|prisma/i);
    if (path !== undefined) {
      const paths = (res.body.error?.details as { path: string }[] | undefined)?.map((d) => d.path) ?? [];
      expect(paths).toContain(path);
    }
  });

  it("rejects a batch over 1,000 jobs and bad elements by index", async ({ sys, member }) => {
    const tooMany = await sys.request<ErrorBody>("POST", "/v1/jobs/batch", {
      token: member,
      body: { jobs: Array.from({ length: 1001 }, () => ok) },
    });
    expect(tooMany.status).toBe(400);
    const empty = await sys.request<ErrorBody>("POST", "/v1/jobs/batch", { token: member, body: { jobs: [] } });
    expect(empty.status).toBe(400);
    const notArray = await sys.request<ErrorBody>("POST", "/v1/jobs/batch", { token: member, body: { jobs: "all" } });
    expect(notArray.status).toBe(400);
  });

  it("answers a bad job id with 400 and an unknown one with 404", async ({ sys, member }) => {
    expect((await sys.request("GET", "/v1/jobs/nope", { token: member })).status).toBe(400);
    expect((await sys.request("GET", `/v1/jobs/${randomUUID()}`, { token: member })).status).toBe(404);
  });

  it("answers an unknown route with not_found", async ({ sys, member }) => {
    const res = await sys.request<ErrorBody>("GET", "/v1/nothing", { token: member });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: "not_found", message: "no route for GET /v1/nothing" } });
  });

  it("is still up and answering after all of them", async ({ sys }) => {
    expect(sys.api?.child.exitCode).toBeNull();
    expect((await sys.request("GET", "/healthz")).status).toBe(200);
    expect(sys.api?.output()).not.toMatch(/"level":50/);
  });
});

describe("authentication", () => {
  it("refuses missing, malformed, expired, forged and alg:none tokens with 401", async ({ sys }) => {
    const claims = { sub: randomUUID(), org: randomUUID(), role: "admin", exp: Math.floor(Date.now() / 1000) + 3600 };
    const cases: [string, Record<string, string>][] = [
      ["missing", {}],
      ["not bearer", { authorization: "Basic dXNlcjpwYXNz" }],
      ["garbage", { authorization: "Bearer not.a.jwt" }],
      ["expired", { authorization: `Bearer ${await signToken(sys.secret, {}, -60)}` }],
      ["forged", { authorization: `Bearer ${await signToken("another-secret-that-is-long-enough-xx", {})}` }],
      ["alg none", { authorization: `Bearer ${unsignedToken(claims)}` }],
    ];
    for (const [what, headers] of cases) {
      const res = await sys.request<ErrorBody>("POST", "/v1/jobs", { body: ok, headers });
      expect(res.status, what).toBe(401);
      expect(res.body.error?.code, what).toBe("unauthorized");
    }
  });

  it("refuses a token whose claims are not Jobstream's", async ({ sys }) => {
    const { SignJWT } = await import("jose");
    const token = await new SignJWT({ org: "acme", role: "root" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("bob")
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode(sys.secret));
    const res = await sys.request<ErrorBody>("GET", `/v1/jobs/${randomUUID()}`, { token });
    expect(res.status).toBe(401);
  });
});
