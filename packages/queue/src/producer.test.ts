import { describe, expect, it } from "vitest";
import { bullJobOptions, toBullPriority } from "./producer";

describe("bullJobOptions", () => {
  const spec = {
    id: "7b0c1c4e-3f6a-4a55-9a43-0d6f0e0a9b11", type: "synthetic", subtype: "work", input: {}, priority: 100,
    attemptBase: 0, attempts: 3, backoff: { type: "exponential" as const, delayMs: 250 }, runAt: null,
  };
  it("uses the row id as the BullMQ job id and maps priority (higher first)", () => {
    const opts = bullJobOptions(spec, 1000);
    expect(opts).toMatchObject({ jobId: spec.id, priority: 1, attempts: 3, backoff: { type: "exponential", delay: 250 }, delay: 0 });
    expect(toBullPriority(0)).toBeGreaterThan(toBullPriority(50));
  });
  it("turns runAt into a delay and never a negative one", () => {
    expect(bullJobOptions({ ...spec, runAt: new Date(6000) }, 1000).delay).toBe(5000);
    expect(bullJobOptions({ ...spec, runAt: new Date(10) }, 1000).delay).toBe(0);
  });
});
