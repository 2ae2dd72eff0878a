import { describe, expect, it } from "vitest";
import { DEFAULT_HEALTH_PORT, healthPortCandidates } from "./health-port";

describe("healthPortCandidates", () => {
  it("tries only an explicit port, including 0 (any free port)", () => {
    expect(healthPortCandidates(4000)).toEqual([4000]);
    expect(healthPortCandidates(0)).toEqual([0]);
  });

  it("scans upward from 3001 when HEALTH_PORT is unset", () => {
    const candidates = healthPortCandidates(undefined);
    expect(candidates.slice(0, 3)).toEqual([DEFAULT_HEALTH_PORT, DEFAULT_HEALTH_PORT + 1, DEFAULT_HEALTH_PORT + 2]);
    expect(candidates.length).toBeGreaterThan(10);
  });
});
