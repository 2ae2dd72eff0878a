import { describe, expect, it } from "vitest";
import { RateLimitedError, UnavailableError } from "./errors.ts";
import { resolveRetry } from "./retry-policy.ts";
import { createTransport, type FetchLike } from "./transport.ts";

/** A fetch that answers from a script, one entry per call, recording what it was asked. */
function scripted(answers: (Response | Error)[]): FetchLike & { calls: RequestInit[] } {
  const calls: RequestInit[] = [];
  const fetch = (_url: string, init: RequestInit) => {
    calls.push(init);
    const next = answers.shift();
    if (next === undefined) throw new Error("unexpected request");
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  };
  return Object.assign(fetch, { calls });
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
const apiError = (status: number, code: string, headers: Record<string, string> = {}) =>
  json(status, { error: { code, message: code } }, headers);

const retry = resolveRetry({ attempts: 3, baseDelayMs: 1, maxDelayMs: 50 });

describe("transport retries", () => {
  it("retries 503 and 429 (honouring a short Retry-After) and returns the answer that follows", async () => {
    const fetch = scripted([
      apiError(503, "unavailable"),
      apiError(429, "rate_limited", { "retry-after": "0" }),
      json(200, { ok: 1 }),
    ]);
    const transport = createTransport({ baseUrl: "http://api.test", token: "t", fetch, retry });
    await expect(transport.request("GET", "v1/jobs", { retryNetworkErrors: true })).resolves.toEqual({ ok: 1 });
    expect(fetch.calls).toHaveLength(3);
  });

  it("does not wait for a Retry-After longer than maxDelayMs: the RateLimitedError says how long", async () => {
    const fetch = scripted([apiError(429, "rate_limited", { "retry-after": "60" })]);
    const transport = createTransport({ baseUrl: "http://api.test", token: "t", fetch, retry });
    const error = await transport.request("GET", "v1/jobs", { retryNetworkErrors: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBe(60_000);
    expect(fetch.calls).toHaveLength(1);
  });

  it("re-sends after a network error only where a repeat is harmless", async () => {
    const down = () => new TypeError("fetch failed");
    const reads = scripted([down(), down(), json(200, { ok: 2 })]);
    const readTransport = createTransport({ baseUrl: "http://api.test", token: "t", fetch: reads, retry });
    await expect(readTransport.request("GET", "v1/jobs", { retryNetworkErrors: true })).resolves.toEqual({ ok: 2 });

    const actions = scripted([down()]);
    const actionTransport = createTransport({ baseUrl: "http://api.test", token: "t", fetch: actions, retry });
    const error = await actionTransport
      .request("POST", "v1/jobs/x/cancel", { retryNetworkErrors: false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).code).toBe("network");
    expect(actions.calls).toHaveLength(1);
  });

  it("gives up after the configured tries and does not retry other errors", async () => {
    const fetch = scripted([apiError(503, "unavailable"), apiError(503, "unavailable"), apiError(503, "unavailable")]);
    const transport = createTransport({ baseUrl: "http://api.test", token: "t", fetch, retry });
    await expect(transport.request("GET", "v1/jobs", { retryNetworkErrors: true })).rejects.toBeInstanceOf(
      UnavailableError,
    );
    expect(fetch.calls).toHaveLength(3);

    const notFound = scripted([apiError(404, "not_found")]);
    const once = createTransport({ baseUrl: "http://api.test", token: "t", fetch: notFound, retry });
    await expect(once.request("GET", "v1/jobs/x", { retryNetworkErrors: true })).rejects.toMatchObject({
      name: "NotFoundError",
    });
    expect(notFound.calls).toHaveLength(1);
  });

  it("sends the bearer token (from a function, per request) and JSON bodies", async () => {
    const fetch = scripted([json(202, { job: {} })]);
    let n = 0;
    const transport = createTransport({
      baseUrl: "http://api.test/base/",
      token: () => `tok-${String(++n)}`,
      fetch,
      retry,
    });
    let status = 0;
    await transport.request("POST", "v1/jobs", {
      body: { a: 1 },
      retryNetworkErrors: true,
      onStatus: (s) => (status = s),
    });
    const headers = new Headers(fetch.calls[0]?.headers);
    expect(headers.get("authorization")).toBe("Bearer tok-1");
    expect(headers.get("content-type")).toBe("application/json");
    expect(fetch.calls[0]?.body).toBe('{"a":1}');
    expect(status).toBe(202);
  });
});
