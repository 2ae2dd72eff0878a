import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_DELAYS_MS, parseDelays, retryAfterFailure } from "./back-off";

describe("retryAfterFailure", () => {
  const now = new Date("2026-01-01T00:00:00Z");
  it("waits the next delay of the schedule", () => {
    expect(retryAfterFailure(0, DEFAULT_RETRY_DELAYS_MS, now)).toEqual({
      kind: "retry",
      retryAt: new Date("2026-01-01T00:00:05Z"),
    });
    expect(retryAfterFailure(6, DEFAULT_RETRY_DELAYS_MS, now)).toEqual({
      kind: "retry",
      retryAt: new Date("2026-01-01T10:00:00Z"),
    });
  });

  it("gives up after the last attempt, about a day after the first", () => {
    expect(retryAfterFailure(7, DEFAULT_RETRY_DELAYS_MS, now)).toEqual({ kind: "failed" });
    const total = DEFAULT_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0);
    expect(total / 3_600_000).toBeGreaterThan(24);
    expect(total / 3_600_000).toBeLessThan(30);
  });
});

describe("parseDelays", () => {
  it("reads a comma-separated list", () => {
    expect(parseDelays("0, 100,2000")).toEqual([0, 100, 2000]);
  });
  it.each(["", "1,x", "-5", "1.5"])("refuses %j", (text) => {
    expect(() => parseDelays(text)).toThrow();
  });
});
