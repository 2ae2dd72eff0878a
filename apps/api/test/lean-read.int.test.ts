import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import type { System } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";

// GET /v1/jobs/:id has a lean path (src/jobs/hot-read.ts) beside Express: a token's first request
// goes through Express (which verifies the token and opens its budget window), later ones through
// the lean path. Both must answer alike, byte for byte but the clock.

const org = randomUUID();
const owner = randomUUID();

/** A failed job of `owner` in `org`, with a stack only operators and services may see. */
async function seedFailedJob(sys: System): Promise<string> {
  const id = randomUUID();
  await sys.query(
    `INSERT INTO jobs (id, org_id, user_id, type, subtype, name, queue, status, max_attempts, attempts, input,
                       expires_at, error_code, error_message, error_stack, completed_at)
     VALUES ($1, $2, $3, 'synthetic', 'work', 'lean', 'synthetic', 'failed', 3, 3, '{"n": 1}',
             now() + interval '1 day', 'boom', 'it broke', 'Error: it broke\n    at /srv/app.js:1:1', now())`,
    [id, org, owner],
  );
  return id;
}

interface Answer {
  status: number;
  body: unknown;
  /** Every header but the ones that move between two answers (the date and the budget left). */
  headers: Record<string, string>;
  rateLimit: string | null;
  policy: string | null;
}

async function get(sys: System, path: string, token: string, extra: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${sys.apiUrl}${path}`, { headers: { authorization: `Bearer ${token}`, ...extra } });
  const headers = Object.fromEntries([...res.headers].filter(([name]) => name !== "date" && name !== "ratelimit"));
  return {
    status: res.status,
    body: await res.json(),
    headers,
    rateLimit: res.headers.get("ratelimit"),
    policy: res.headers.get("ratelimit-policy"),
  };
}

/** How many requests the lean path answered, from the API's /metrics. */
async function leanAnswers(sys: System): Promise<number> {
  const text = await (await fetch(`${sys.apiUrl}/metrics`)).text();
  const line = text.split("\n").find((l) => l.startsWith('jobstream_http_lean_answers_total{route="/v1/jobs/:id"}'));
  return line === undefined ? 0 : Number(line.split(" ").at(-1));
}

const remaining = (header: string | null): number => Number(/r=(\d+)/.exec(header ?? "")?.[1]);

const it = systemTest(async (sys) => {
  await sys.startApi({ RATE_LIMIT_PER_MINUTE: "6" });
  return { job: await seedFailedJob(sys) };
});

describe("GET /v1/jobs/:id on the lean path", () => {
  it("answers each caller as Express does: the owner, an operator (with the stack), another org (404)", async ({
    sys,
    started,
  }) => {
    const callers = {
      owner: await sys.token({ sub: owner, org, role: "member" }),
      operator: await sys.token({ sub: randomUUID(), org: randomUUID(), role: "operator" }),
      stranger: await sys.token({ sub: randomUUID(), org: randomUUID(), role: "admin" }),
      sameOrgOtherUser: await sys.token({ sub: randomUUID(), org, role: "member" }),
    };
    const before = await leanAnswers(sys);
    for (const [name, token] of Object.entries(callers)) {
      const viaExpress = await get(sys, `/v1/jobs/${started.job}`, token);
      const viaLean = await get(sys, `/v1/jobs/${started.job}`, token);
      expect({ name, ...viaLean, rateLimit: undefined }).toEqual({ name, ...viaExpress, rateLimit: undefined });
      expect(remaining(viaLean.rateLimit)).toBe(remaining(viaExpress.rateLimit) - 1);
      expect(viaLean.policy).toMatch(/^"6-in-1min"; q=6; w=60; pk=:[A-Za-z0-9+/=]+:$/);
    }
    expect(await leanAnswers(sys)).toBe(before + 4);

    const owned = await get(sys, `/v1/jobs/${started.job}`, callers.owner);
    expect(owned.status).toBe(200);
    expect(owned.body).toMatchObject({
      id: started.job,
      status: "failed",
      error: { code: "boom", message: "it broke" },
    });
    expect(JSON.stringify(owned.body)).not.toContain("/srv/app.js");
    expect(owned.headers["x-content-type-options"]).toBe("nosniff");
    expect(owned.headers.etag).toMatch(/^W\/"/);
    const operator = await get(sys, `/v1/jobs/${started.job}`, callers.operator);
    expect(operator.body).toMatchObject({ error: { stack: expect.stringContaining("/srv/app.js") as unknown } });
    for (const refused of [callers.stranger, callers.sameOrgOtherUser]) {
      const answer = await get(sys, `/v1/jobs/${started.job}`, refused);
      expect(answer.status).toBe(404);
      expect(answer.body).toEqual({ error: { code: "not_found", message: "no such job" } });
    }
    expect(await leanAnswers(sys)).toBe(before + 8);
  });

  it("leaves to Express what it does not answer: bad ids, queries, conditional requests, bad tokens", async ({
    sys,
    started,
  }) => {
    const token = await sys.token({ sub: randomUUID(), org, role: "admin" });
    await get(sys, `/v1/jobs/${started.job}`, token); // Express: verifies the token, opens its window.
    const before = await leanAnswers(sys);
    expect((await get(sys, "/v1/jobs/not-a-uuid", token)).status).toBe(400);
    expect((await get(sys, `/v1/jobs/${started.job}?unknown=1`, token)).status).toBe(400);
    const first = await get(sys, `/v1/jobs/${started.job}`, token);
    const etag = first.headers.etag ?? "";
    const conditional = await fetch(`${sys.apiUrl}/v1/jobs/${started.job}`, {
      // fetch adds `cache-control: no-cache` to a conditional request unless one is given.
      headers: { authorization: `Bearer ${token}`, "if-none-match": etag, "cache-control": "max-age=0" },
    });
    expect(conditional.status).toBe(304);
    const forged = `${token.slice(0, -2)}xx`;
    const refused = await fetch(`${sys.apiUrl}/v1/jobs/${started.job}`, {
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(refused.status).toBe(401);
    // Only the plain read above took the lean path.
    expect(await leanAnswers(sys)).toBe(before + 1);
  });

  it("spends the token's budget like Express and leaves the refusal to it (429, Retry-After)", async ({
    sys,
    started,
  }) => {
    const token = await sys.token({ sub: randomUUID(), org, role: "member" });
    const statuses: number[] = [];
    const left: number[] = [];
    for (let i = 0; i < 7; i++) {
      const answer = await get(sys, `/v1/jobs/${started.job}`, token);
      statuses.push(answer.status);
      left.push(remaining(answer.rateLimit));
    }
    // Six per minute: the owner's org member sees 404 (not the owner), the seventh is refused.
    expect(statuses).toEqual([404, 404, 404, 404, 404, 404, 429]);
    expect(left).toEqual([5, 4, 3, 2, 1, 0, 0]);
    const refused = await fetch(`${sys.apiUrl}/v1/jobs/${started.job}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.json()).toMatchObject({ error: { code: "rate_limited" } });
  });
});
