import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import type { TimeseriesAnswer } from "@jobstream/contract";
import { systemTest } from "@jobstream/testing/fixtures";

const org = randomUUID();

/** An admin of `org`, which has enqueued three jobs (delayed: nothing runs them). */
const it = systemTest(async (sys) => {
  await sys.startApi();
  const admin = await sys.token({ sub: randomUUID(), org, role: "admin" });
  for (let i = 0; i < 3; i++) await sys.enqueue(admin, { type: "synthetic", input: {}, delayMs: 3_600_000 });
  return { admin };
});

interface ErrorAnswer {
  error: { code: string; details: { path: string; message: string }[] };
}

describe("GET /v1/stats/timeseries", () => {
  it("counts the jobs created in the range per bucket, every bucket present", async ({ sys, started }) => {
    const to = new Date(Date.now() + 60_000);
    const from = new Date(to.getTime() - 10 * 60_000);
    const query = `from=${from.toISOString()}&to=${to.toISOString()}&bucket=1m`;
    const res = await sys.request<TimeseriesAnswer>("GET", `/v1/stats/timeseries?${query}`, {
      token: started.admin,
    });
    expect(res.status).toBe(200);
    // 10 or 11 minute buckets, depending on where `from` falls in its minute.
    expect(res.body.buckets.length).toBeGreaterThanOrEqual(10);
    expect(res.body.buckets.reduce((n, b) => n + b.created, 0)).toBe(3);
    expect(res.body.buckets.every((b) => b.completed === 0 && b.p50Ms === null)).toBe(true);
    const starts = res.body.buckets.map((b) => Date.parse(b.start));
    expect(starts.slice(1).map((s, i) => s - (starts[i] ?? 0))).toEqual(starts.slice(1).map(() => 60_000));
    // A type filter that matches nothing: the same buckets, all zero.
    const other = await sys.request<TimeseriesAnswer>("GET", `/v1/stats/timeseries?${query}&type=import`, {
      token: started.admin,
    });
    expect(other.body.buckets.map((b) => b.created)).toEqual(res.body.buckets.map(() => 0));
  });

  it("defaults to the last day in hours", async ({ sys, started }) => {
    const res = await sys.request<TimeseriesAnswer>("GET", "/v1/stats/timeseries", { token: started.admin });
    expect(res.status).toBe(200);
    expect([24, 25]).toContain(res.body.buckets.length);
    expect(res.body.buckets.reduce((n, b) => n + b.created, 0)).toBe(3);
  });

  it.for([
    ["an unknown bucket", "bucket=2m", "bucket"],
    ["from after to", "from=2026-11-20T10:00:00Z&to=2026-11-20T09:00:00Z", "from"],
    ["an empty range", "from=2026-11-20T10:00:00Z&to=2026-11-20T10:00:00Z", "from"],
    ["too many buckets", "from=2026-11-01T00:00:00Z&to=2026-11-03T00:00:00Z&bucket=1m", "bucket"],
    ["a from that is no instant", "from=yesterday", "from"],
    ["an orgId that is no UUID", "orgId=acme", "orgId"],
    ["an unknown parameter", "step=1h", ""],
  ] as const)("refuses %s: 400 naming the field", async ([, query, field], { sys, started }) => {
    const res = await sys.request<ErrorAnswer>("GET", `/v1/stats/timeseries?${query}`, { token: started.admin });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    expect([...new Set(res.body.error.details.map((d) => d.path))]).toEqual([field]);
  });
});
