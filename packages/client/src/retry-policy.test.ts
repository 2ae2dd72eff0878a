import { describe, expect, it } from "vitest";
import { isRetryableStatus, parseRetryAfter, resolveRetry, retryDelayMs } from "./retry-policy.ts";

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-29T12:00:00Z");
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter("Sun, 29 Nov 2026 12:00:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("Sun, 29 Nov 2026 11:00:00 GMT", now)).toBe(0);
  });
  it("ignores what it cannot read", () => {
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter("", now)).toBeNull();
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter("-1", now)).toBeNull();
  });
});

describe("retryDelayMs", () => {
  const policy = resolveRetry({ attempts: 4, baseDelayMs: 100, maxDelayMs: 1000 });
  it("backs off exponentially with jitter between half and the full step", () => {
    expect(retryDelayMs(1, null, policy, () => 0)).toBe(50);
    expect(retryDelayMs(1, null, policy, () => 1)).toBe(100);
    expect(retryDelayMs(3, null, policy, () => 1)).toBe(400);
  });
  it("gives up after the last try", () => {
    expect(retryDelayMs(4, null, policy)).toBeNull();
    expect(retryDelayMs(1, null, resolveRetry(false))).toBeNull();
  });
  it("honours Retry-After, unless it asks for more than maxDelayMs", () => {
    expect(retryDelayMs(1, 700, policy)).toBe(700);
    expect(retryDelayMs(1, 5000, policy)).toBeNull();
  });
  it("caps the back-off at maxDelayMs", () => {
    const long = resolveRetry({ attempts: 20, baseDelayMs: 100, maxDelayMs: 1000 });
    expect(retryDelayMs(15, null, long, () => 1)).toBe(1000);
  });
  it("retries only 429 and 503 answers", () => {
    expect([400, 401, 404, 409, 429, 500, 503].filter(isRetryableStatus)).toEqual([429, 503]);
  });
});
