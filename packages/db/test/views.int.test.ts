import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { failedJobsNeedingAttention, queueStats, typeStats } from "../src/index";
import { it, newJob } from "./fixtures";

const org = randomUUID();
const otherOrg = randomUUID();
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

// One seeded data set that every test below reads (none of them writes).
it.beforeAll(async ({ db }) => {
  const rows = [
    // synthetic, last 24 h: 3 completed (100, 200, 300 ms), 1 failed with attempts left, 1 running.
    newJob({ orgId: org, status: "completed", durationMs: 100, attempts: 1 }),
    newJob({ orgId: org, status: "completed", durationMs: 200, attempts: 1 }),
    newJob({ orgId: org, status: "completed", durationMs: 300, attempts: 2 }),
    newJob({
      orgId: org,
      status: "failed",
      durationMs: 50,
      attempts: 1,
      maxAttempts: 3,
      errorCode: "boom",
      completedAt: hoursAgo(1),
    }),
    newJob({ orgId: org, status: "running", attempts: 1 }),
    // synthetic, 3 days ago: counts for 7-day type stats only.
    newJob({ orgId: org, status: "completed", durationMs: 1000, createdAt: hoursAgo(72) }),
    newJob({ orgId: org, status: "failed", attempts: 3, maxAttempts: 3, createdAt: hoursAgo(72) }),
    // import, last 24 h: 1 cancelled; 10 days ago: 1 completed (outside both windows).
    newJob({ orgId: org, type: "import", subtype: "csv", queue: "import", status: "cancelled" }),
    newJob({
      orgId: org,
      type: "import",
      subtype: "csv",
      queue: "import",
      status: "completed",
      durationMs: 9,
      createdAt: hoursAgo(240),
    }),
    // another org: must not leak into org-scoped answers.
    newJob({ orgId: otherOrg, status: "completed", durationMs: 5000 }),
    newJob({ orgId: otherOrg, status: "failed", attempts: 1, maxAttempts: 2 }),
  ];
  await db.job.createMany({ data: rows });
});

describe("monitoring views", () => {
  it("counts per type x status over the last 24 hours", async ({ db }) => {
    const stats = await queueStats(db, { orgId: org });
    expect(stats).toEqual([
      { type: "import", status: "cancelled", jobs: 1, avgDurationMs: null, maxDurationMs: null },
      { type: "synthetic", status: "running", jobs: 1, avgDurationMs: null, maxDurationMs: null },
      { type: "synthetic", status: "completed", jobs: 3, avgDurationMs: 200, maxDurationMs: 300 },
      { type: "synthetic", status: "failed", jobs: 1, avgDurationMs: 50, maxDurationMs: 50 },
    ]);
  });

  it("adds up every org for an unscoped caller", async ({ db }) => {
    const stats = await queueStats(db, { orgId: null });
    const completed = stats.find((s) => s.type === "synthetic" && s.status === "completed");
    expect(completed).toEqual({
      type: "synthetic",
      status: "completed",
      jobs: 4,
      avgDurationMs: 1400,
      maxDurationMs: 5000,
    });
  });

  it("lists every failed job, those that used all their attempts too, most recent first", async ({ db }) => {
    const failed = await failedJobsNeedingAttention(db, { orgId: org });
    expect(failed.map((f) => [f.attempts, f.max_attempts, f.attempts_left, f.error_code])).toEqual([
      [1, 3, 2, "boom"],
      [3, 3, 0, null],
    ]);
    expect(await failedJobsNeedingAttention(db, { orgId: null })).toHaveLength(3);
  });

  it("gives per-type totals, success rate and duration over 7 days", async ({ db }) => {
    const stats = await typeStats(db, { orgId: org });
    expect(stats).toEqual([
      {
        type: "import",
        total: 1,
        completed: 0,
        failed: 0,
        cancelled: 1,
        unfinished: 0,
        successRate: null,
        avgDurationMs: null,
      },
      {
        type: "synthetic",
        total: 7,
        completed: 4,
        failed: 2,
        cancelled: 0,
        unfinished: 1,
        successRate: 4 / 6,
        avgDurationMs: 400,
      },
    ]);
  });
});
