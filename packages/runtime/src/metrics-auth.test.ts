import { describe, expect, it } from "vitest";
import { metricsAuthorized } from "./metrics-auth";

describe("metricsAuthorized", () => {
  it("is open without a configured token", () => {
    expect(metricsAuthorized(undefined, undefined)).toBe(true);
  });

  it("takes only the exact bearer token when one is configured", () => {
    const token = "a-metrics-token-of-some-length";
    expect(metricsAuthorized(`Bearer ${token}`, token)).toBe(true);
    expect(metricsAuthorized(`bearer ${token}`, token)).toBe(true);
    expect(metricsAuthorized(undefined, token)).toBe(false);
    expect(metricsAuthorized("Bearer ", token)).toBe(false);
    expect(metricsAuthorized(`Bearer ${token}x`, token)).toBe(false);
    expect(metricsAuthorized(`Basic ${token}`, token)).toBe(false);
  });
});
