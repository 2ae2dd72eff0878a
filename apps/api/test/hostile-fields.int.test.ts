import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { systemTest } from "@jobstream/testing/fixtures";
import {
  bodyWith,
  deepJson,
  enqueueFields,
  type ErrorBody,
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
  // A member of another org with no jobs: group ids are free text, and `member` stores groups named
  // like the hostile ids (the body test), which it may then read; `stranger` sees none of them.
  .extend("stranger", { scope: "file" }, ({ sys }) =>
    sys.token({ sub: randomUUID(), org: randomUUID(), role: "member" }),
  )
  .extend(
    "jobId",
    { scope: "file" },
    async ({ sys, member }) => (await sys.enqueue(member, { type: "synthetic", input: {} })).id,
  );

interface Answer {
  status: number;
  body: ErrorBody;
}

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

  /** Runs checks a few at a time (about 1,500 requests), then expects none of them to have failed. */
  const expectAllPass = async (checks: (() => Promise<void>)[]): Promise<void> => {
    for (let i = 0; i < checks.length; i += 8) await Promise.all(checks.slice(i, i + 8).map((check) => check()));
    expect(failures).toEqual([]);
  };

  const base = { type: "synthetic", subtype: "work", input: {} };

  it("enqueue and batch bodies: unsafe text refused; odd strings, huge numbers, prototype keys: 4xx or stored", async ({
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
      '{"type":"synthetic","input":{"output":{"__proto__":{"polluted":true},' +
        '"constructor":{"prototype":{"polluted":true}}}}}',
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
    await expectAllPass(checks);
  }, 300_000);

  it("every query parameter and path id: NUL refused, every other hostile value a 4xx or a normal answer", async ({
    member,
    call,
    admin,
    stranger,
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
          const answer = await call(method, route.replace(":id", id), { token: stranger });
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
    await expectAllPass(checks);
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
