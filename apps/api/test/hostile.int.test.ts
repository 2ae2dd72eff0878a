import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { signToken, unsignedToken } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";
import {
  bodyWith,
  deepJson,
  enqueueFields,
  idRoutes,
  oddText,
  queryFields,
  rawNumbers,
  unsafeText,
} from "./hostile-matrix";

// The matrix below sends about 1,500 requests: enough budget that none of them is merely rate-limited.
const it = systemTest((sys) => sys.startApi({ RATE_LIMIT_PER_MINUTE: "1000000" }))
  // One request; streams are closed as soon as their status is known.
  .extend(
    "call",
    { scope: "file" },
    ({ sys }) =>
      async (
        method: string,
        path: string,
        options: { token?: string; body?: string; headers?: Record<string, string> } = {},
      ): Promise<Answer> => {
        const controller = new AbortController();
        const res = await fetch(`${sys.apiUrl}${path}`, {
          method,
          signal: controller.signal,
          body: options.body,
          headers: {
            ...(options.token !== undefined ? { authorization: `Bearer ${options.token}` } : {}),
            ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
            ...options.headers,
          },
        });
        if (res.headers.get("content-type")?.startsWith("text/event-stream") === true) {
          controller.abort();
          return { status: res.status, body: {} };
        }
        const text = await res.text();
        let body: ErrorBody = {};
        try {
          body = JSON.parse(text) as ErrorBody;
        } catch {
          /* not JSON: checked below */
        }
        return { status: res.status, body };
      },
  )
  .extend("admin", { scope: "file" }, ({ sys }) => sys.token({ sub: randomUUID(), org: randomUUID(), role: "admin" }))
  .extend(
    "jobId",
    { scope: "file" },
    async ({ sys, member }) => (await sys.enqueue(member, { type: "synthetic", input: {} })).id,
  );

interface Answer {
  status: number;
  body: ErrorBody;
}
interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

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

describe("hostile values in every field of every endpoint", () => {
  const failures: string[] = [];
  /** Records what is wrong with an answer: a 5xx, an undocumented 4xx, or unsafe text not named as its field. */
  const judge = (what: string, answer: Answer, unsafePath?: string): void => {
    if (answer.status >= 500) failures.push(`${what}: ${String(answer.status)}`);
    else if (answer.status >= 400 && typeof answer.body.error?.code !== "string")
      failures.push(`${what}: ${String(answer.status)} without an error code`);
    if (unsafePath !== undefined) {
      const paths = (answer.body.error?.details as { path: string }[] | undefined)?.map((d) => d.path) ?? [];
      if (answer.status !== 400 || answer.body.error?.code !== "validation_failed" || !paths.includes(unsafePath)) {
        failures.push(
          `${what}: expected 400 naming ${unsafePath}, got ${String(answer.status)} ${JSON.stringify(answer.body)}`,
        );
      }
    }
  };

  /** Runs checks a few at a time: about 1,500 requests. */
  const run = async (checks: (() => Promise<void>)[]): Promise<void> => {
    for (let i = 0; i < checks.length; i += 8) await Promise.all(checks.slice(i, i + 8).map((check) => check()));
  };

  const base = { type: "synthetic", subtype: "work", input: {} };

  it("refuses unsafe text, and answers odd strings, huge numbers and prototype keys with a 4xx or stores them as given, in enqueue and batch bodies", async ({
    member,
    call,
    jobId,
  }) => {
    const checks: (() => Promise<void>)[] = [];
    for (const field of enqueueFields) {
      for (const [batch, prefix] of [
        [false, ""],
        [true, "jobs.0."],
      ] as const) {
        const send = (body: string) =>
          call("POST", batch ? "/v1/jobs/batch" : "/v1/jobs", {
            token: member,
            body: batch ? `{"jobs":[${body}]}` : body,
          });
        for (const [what, text] of unsafeText) {
          checks.push(async () => {
            judge(`${prefix}${field} = ${what}`, await send(bodyWith(base, field, { text })), `${prefix}${field}`);
          });
        }
        for (const text of oddText)
          checks.push(async () => {
            judge(`${prefix}${field} = "${text}"`, await send(bodyWith(base, field, { text })));
          });
        for (const raw of rawNumbers)
          checks.push(async () => {
            judge(`${prefix}${field} = ${raw}`, await send(bodyWith(base, field, { raw })));
          });
      }
    }
    // Prototype keys as field names, at the top and inside the free-form fields.
    const protoBodies = [
      '{"__proto__":{"type":"maintenance"},"type":"synthetic","input":{}}',
      '{"type":"synthetic","input":{},"constructor":{"prototype":{"polluted":true}}}',
      '{"type":"synthetic","input":{"__proto__":{"items":5}}}',
      '{"type":"synthetic","input":{"output":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}}}',
      '{"type":"synthetic","input":{},"metadata":{"__proto__":{"polluted":true},"prototype":1}}',
      '{"type":"synthetic","input":{},"backoff":{"__proto__":{"type":"fixed"},"delayMs":1}}',
    ];
    for (const body of protoBodies) {
      checks.push(async () => {
        judge(`enqueue ${body}`, await call("POST", "/v1/jobs", { token: member, body }));
      });
      checks.push(async () => {
        judge(`batch ${body}`, await call("POST", "/v1/jobs/batch", { token: member, body: `{"jobs":[${body}]}` }));
      });
    }
    // Unsafe text in a field name.
    checks.push(async () => {
      judge(
        "a NUL in a metadata key",
        await call("POST", "/v1/jobs", { token: member, body: bodyWith(base, "metadata.k\u0000", { text: "v" }) }),
        "metadata.k\ufffd",
      );
    });
    // 10,000-deep JSON to every endpoint that takes a body.
    for (const path of [
      "/v1/jobs",
      "/v1/jobs/batch",
      `/v1/jobs/${jobId}/cancel`,
      `/v1/jobs/${jobId}/retry`,
      "/v1/session",
    ]) {
      for (const kind of ["object", "array"] as const) {
        checks.push(async () => {
          const answer = await call("POST", path, { token: member, body: deepJson(10_000, kind) });
          judge(`10,000-deep ${kind} to ${path}`, answer);
          if (answer.status !== 400) failures.push(`10,000-deep ${kind} to ${path}: ${String(answer.status)}, not 400`);
        });
      }
    }
    await run(checks);
    expect(failures).toEqual([]);
  }, 300_000);

  it("refuses NUL and answers every other hostile value with a 4xx or a normal answer, in every query parameter and path id", async ({
    member,
    call,
    admin,
    jobId,
  }) => {
    const checks: (() => Promise<void>)[] = [];
    const pathOf = (route: string) => route.replace(":id", jobId);
    const tokenFor = (route: string) => (route.startsWith("/v1/stats") ? admin : member);
    for (const [route, keys] of queryFields) {
      for (const key of [...keys, "__proto__", "constructor", "prototype"]) {
        const get = (encoded: string) =>
          call("GET", `${pathOf(route)}?${encodeURIComponent(key)}=${encoded}`, { token: tokenFor(route) });
        checks.push(async () => {
          judge(`${route}?${key} = NUL`, await get("a%00b"), key);
        });
        // A lone surrogate cannot be percent-encoded as UTF-8; its raw bytes decode to U+FFFD.
        checks.push(async () => {
          judge(`${route}?${key} = surrogate bytes`, await get("%ED%A0%80"));
        });
        for (const text of [...oddText, ...rawNumbers])
          checks.push(async () => {
            judge(`${route}?${key} = ${text}`, await get(encodeURIComponent(text)));
          });
      }
    }
    for (const [method, route] of idRoutes) {
      // (An empty id is another route: /v1/jobs/ is the list.)
      for (const id of [
        "a%00b",
        "%ED%A0%80",
        ...oddText.filter((t) => t !== "").map(encodeURIComponent),
        ...rawNumbers,
      ]) {
        checks.push(async () => {
          const answer = await call(method, route.replace(":id", id), { token: member });
          judge(`${method} ${route} with id ${id}`, answer);
          if (answer.status < 400) failures.push(`${method} ${route} with id ${id}: ${String(answer.status)}`);
        });
      }
    }
    // Header-derived values used as data: the stream's Last-Event-ID and the job token.
    for (const value of [...oddText.filter((t) => t !== ""), ...rawNumbers, "99999999999999999999999"]) {
      checks.push(async () => {
        judge(
          `Last-Event-ID ${value}`,
          await call("GET", `/v1/jobs/${jobId}/stream`, { token: member, headers: { "last-event-id": value } }),
        );
      });
      checks.push(async () => {
        judge(`X-Job-Token ${value}`, await call("GET", `/v1/jobs/${jobId}`, { headers: { "x-job-token": value } }));
      });
    }
    await run(checks);
    expect(failures).toEqual([]);
  }, 300_000);

  it("keeps working afterwards: a normal job still completes, and nothing was logged as an unhandled error", async ({
    sys,
    member,
  }) => {
    expect(sys.api?.child.exitCode).toBeNull();
    expect(sys.api?.output()).not.toContain("unhandled error");
    await sys.startWorker("work,mirror,housekeep");
    const job = await sys.enqueue(member, { type: "synthetic", input: { items: 3 } });
    const done = await sys.waitForStatus(member, job.id, "completed", 60_000);
    expect(done.items).toMatchObject({ total: 3, processed: 3 });
  }, 90_000);
});
