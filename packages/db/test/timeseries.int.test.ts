import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import {
  applyMirrorBatch,
  insertPendingJobs,
  jobTimeseries,
  pruneTimeseriesRollups,
  rebuildTimeseriesRollups,
  type JobSnapshot,
  type TimeseriesBucket,
} from "../src/index";
import { jobSnapshot, newJobRow } from "../src/test-rows";
import { it } from "./fixtures";

const orgA = randomUUID();
const orgB = randomUUID();
const at = (hhmmss: string) => new Date(`2026-11-20T${hhmmss}Z`);
const ids = { a1: randomUUID(), a2: randomUUID(), a3: randomUUID(), b1: randomUUID() };

/** The final snapshot of a job that ended at `hhmmss` after `durationMs`. */
const ended = (status: JobSnapshot["status"], hhmmss: string, durationMs: number) =>
  jobSnapshot({ status, finishedAt: at(hhmmss).getTime(), durationMs, startedAt: at(hhmmss).getTime() - durationMs });

// This file's database holds only these jobs: "every org" means orgs A and B.
it.beforeAll(async ({ pool }) => {
  const row = (id: string, orgId: string, created: string, kind = { type: "synthetic", subtype: "work" }) =>
    newJobRow({ id, orgId, createdAt: at(created), ...kind, queue: kind.type });
  await insertPendingJobs(pool, [row(ids.a1, orgA, "10:00:10"), row(ids.a2, orgA, "10:00:40")]);
  await insertPendingJobs(pool, [
    row(ids.a3, orgA, "10:02:05"),
    row(ids.b1, orgB, "10:01:00", { type: "import", subtype: "csv" }),
  ]);
  const entries = [
    { jobId: ids.a1, seq: 1, snapshot: ended("completed", "10:00:50", 100), items: [], timeline: [] },
    { jobId: ids.a2, seq: 1, snapshot: ended("failed", "10:01:10", 200), items: [], timeline: [] },
    { jobId: ids.a3, seq: 1, snapshot: ended("cancelled", "10:02:30", 50), items: [], timeline: [] },
    { jobId: ids.b1, seq: 1, snapshot: ended("completed", "10:01:30", 1000), items: [], timeline: [] },
  ];
  await applyMirrorBatch(pool, entries);
  // A replayed batch changes nothing: no job counts twice.
  await applyMirrorBatch(pool, entries);
});

const bucket = (start: string, counts: Partial<TimeseriesBucket> = {}) => ({
  start: at(start),
  created: 0,
  completed: 0,
  failed: 0,
  cancelled: 0,
  p50Ms: null,
  p95Ms: null,
  ...counts,
});
const minutes = { from: at("10:00:00"), to: at("10:03:00"), bucketSeconds: 60 };

describe("jobTimeseries", () => {
  it("counts one org's jobs per bucket from its rows, with exact percentiles", async ({ pool }) => {
    expect(await jobTimeseries(pool, { orgId: orgA }, minutes)).toEqual([
      bucket("10:00:00", { created: 2, completed: 1, p50Ms: 100, p95Ms: 100 }),
      bucket("10:01:00", { failed: 1 }),
      bucket("10:02:00", { created: 1, cancelled: 1 }),
    ]);
  });

  it("counts every org from the rollups the enqueue and mirror statements keep", async ({ pool }) => {
    const all = await jobTimeseries(pool, { orgId: null }, minutes);
    expect(all.map(({ p50Ms: _p50, p95Ms: _p95, ...counts }) => counts)).toEqual([
      { start: at("10:00:00"), created: 2, completed: 1, failed: 0, cancelled: 0 },
      { start: at("10:01:00"), created: 1, completed: 1, failed: 1, cancelled: 0 },
      { start: at("10:02:00"), created: 1, completed: 0, failed: 0, cancelled: 1 },
    ]);
    // Percentiles from run-time histograms: within 12 % of the exact figure.
    expect(all[0]?.p50Ms).toBeGreaterThan(100 / 1.12);
    expect(all[0]?.p50Ms).toBeLessThan(100 * 1.12);
    expect(all[1]?.p95Ms).toBeGreaterThan(1000 / 1.12);
    expect(all[1]?.p95Ms).toBeLessThan(1000 * 1.12);
    expect(all[2]?.p50Ms).toBeNull();
  });

  it("narrows to a type and subtype, and sums hours for hourly and daily buckets", async ({ pool }) => {
    const imports = await jobTimeseries(pool, { orgId: null }, { ...minutes, type: "import", subtype: "csv" });
    expect(imports.map((b) => [b.created, b.completed])).toEqual([
      [0, 0],
      [1, 1],
      [0, 0],
    ]);
    const none = await jobTimeseries(pool, { orgId: orgA }, { ...minutes, type: "import" });
    expect(none.every((b) => b.created === 0 && b.completed === 0)).toBe(true);
    const day = { from: at("00:00:00"), to: new Date("2026-11-21T00:00:00Z"), bucketSeconds: 86_400 };
    for (const scope of [{ orgId: null }, { orgId: orgA }]) {
      const [only, ...rest] = await jobTimeseries(pool, scope, day);
      expect(rest).toEqual([]);
      const org = scope.orgId === null;
      expect(only).toMatchObject({ start: at("00:00:00"), created: org ? 4 : 3, completed: org ? 2 : 1, failed: 1 });
    }
    const hours = await jobTimeseries(pool, { orgId: null }, { ...day, bucketSeconds: 3600 });
    expect(hours).toHaveLength(24);
    expect(hours[10]).toMatchObject({ start: at("10:00:00"), created: 4, completed: 2, failed: 1, cancelled: 1 });
  });

  it("recounts the rollups from the rows to the same answer", async ({ pool }) => {
    const day = { from: at("00:00:00"), to: new Date("2026-11-21T00:00:00Z"), bucketSeconds: 3600 };
    const kept = await jobTimeseries(pool, { orgId: null }, day);
    await rebuildTimeseriesRollups(pool);
    expect(await jobTimeseries(pool, { orgId: null }, day)).toEqual(kept);
  });

  it("prunes minute rows after 35 days and hour rows after 400", async ({ pool }) => {
    const count = async (width: string) =>
      (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM job_created_rollup WHERE width = $1`, [width]))
        .rows[0]?.n;
    const [minutes, hours] = [await count("minute"), await count("hour")];
    // 36 days after the jobs: their minute rows go, their hour rows stay.
    const later = (days: number) => new Date(at("10:00:00").getTime() + days * 86_400_000);
    expect(await pruneTimeseriesRollups(pool, later(34))).toBe(0);
    expect(await pruneTimeseriesRollups(pool, later(36))).toBeGreaterThan(0);
    expect([await count("minute"), await count("hour")]).toEqual([0, hours]);
    expect(minutes).toBeGreaterThan(0);
    await pruneTimeseriesRollups(pool, later(401));
    expect(await count("hour")).toBe(0);
  });
});
