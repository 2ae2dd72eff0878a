import { getNextMillis } from "bullmq";
import { describe, expect, it } from "vitest";
import { schedulerSpec, tickTimeOf, type ScheduleTiming } from "./schedule-ticks";

const base: ScheduleTiming = {
  id: "00000000-0000-4000-8000-000000000001",
  cron: null,
  everyMs: null,
  timezone: "UTC",
  startAt: null,
  endAt: null,
  revision: 3,
};

/** The next ticks BullMQ computes for a spec's repeat options (its own strategy), from `from`. */
function ticks(timing: Partial<ScheduleTiming>, from: string, n: number): string[] {
  const { repeat } = schedulerSpec({ ...base, ...timing });
  const out: string[] = [];
  let at = Date.parse(from);
  for (let i = 0; i < n; i++) {
    at = getNextMillis(at, repeat) ?? Number.NaN;
    out.push(new Date(at).toISOString());
  }
  return out;
}

describe("schedulerSpec", () => {
  it("a cron pattern with its zone, the interval otherwise; the tick carries schedule and revision", () => {
    const cron = schedulerSpec({ ...base, cron: "0 * * * *", timezone: "Europe/Berlin" });
    expect(cron.repeat).toEqual({ pattern: "0 * * * *", tz: "Europe/Berlin" });
    expect(cron.template.data).toEqual({ scheduleId: base.id, revision: 3 });
    const every = schedulerSpec({ ...base, everyMs: 5000, startAt: new Date(1000), endAt: new Date(9000) });
    expect(every.repeat).toEqual({ every: 5000, startDate: new Date(1000), endDate: new Date(9000) });
  });

  it("keeps a daily 02:30 in Berlin at local time across both DST changes (a skipped 02:30 runs at 03:30)", () => {
    // Spring forward, 2026-03-29: 02:00 becomes 03:00; the 02:30 that does not exist runs at 03:30 (01:30Z).
    expect(ticks({ cron: "30 2 * * *", timezone: "Europe/Berlin" }, "2026-03-27T12:00:00Z", 4)).toEqual([
      "2026-03-28T01:30:00.000Z",
      "2026-03-29T01:30:00.000Z",
      "2026-03-30T00:30:00.000Z",
      "2026-03-31T00:30:00.000Z",
    ]);
    // Fall back, 2026-10-25: 02:30 happens twice; the schedule runs once that day.
    expect(ticks({ cron: "30 2 * * *", timezone: "Europe/Berlin" }, "2026-10-23T12:00:00Z", 4)).toEqual([
      "2026-10-24T00:30:00.000Z",
      "2026-10-25T00:30:00.000Z",
      "2026-10-26T01:30:00.000Z",
      "2026-10-27T01:30:00.000Z",
    ]);
  });

  it("reads the tick time from a scheduler job id", () => {
    expect(tickTimeOf(`repeat:${base.id}:1700000000000`)?.getTime()).toBe(1_700_000_000_000);
    expect(tickTimeOf("a-job-id")).toBeNull();
    expect(tickTimeOf(undefined)).toBeNull();
  });
});
