import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { findJobOwnership, findRetryableJobs, setRetryBudget } from "../src/index";
import { it, newJob } from "./fixtures";

describe("job lookups the API's actions use", () => {
  it("reads only a job's ownership, or null", async ({ db }) => {
    const job = newJob({ userId: randomUUID(), accessTokenHash: "cd".repeat(32) });
    await db.job.create({ data: job });
    expect(await findJobOwnership(db, job.id)).toEqual({
      orgId: job.orgId,
      userId: job.userId,
      accessTokenHash: job.accessTokenHash,
    });
    expect(await findJobOwnership(db, randomUUID())).toBeNull();
  });

  it("finds the failed and cancelled jobs of one queue among the ids, skipping the rest", async ({ db }) => {
    const failed = newJob({ status: "failed" });
    const cancelled = newJob({ status: "cancelled" });
    const completed = newJob({ status: "completed" });
    const running = newJob({ status: "running" });
    const otherQueue = newJob({ status: "failed", queue: "import" });
    const jobs = [failed, cancelled, completed, running, otherQueue];
    await db.job.createMany({ data: jobs });
    const found = await findRetryableJobs(db, "synthetic", [...jobs.map((j) => j.id), randomUUID()]);
    expect(found.map((j) => j.id).sort()).toEqual([failed.id, cancelled.id].sort());
    expect(await findRetryableJobs(db, "synthetic", [])).toEqual([]);
  });

  it("sets a retried job's attempt budget and queue time, and refuses an unknown job", async ({ db }) => {
    const job = newJob({ status: "queued", attempts: 3, maxAttempts: 3 });
    await db.job.create({ data: job });
    const queuedAt = new Date("2026-11-29T05:00:00.000Z");
    await setRetryBudget(db, job.id, { maxAttempts: 6, queuedAt });
    const row = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    expect(row.maxAttempts).toBe(6);
    expect(row.queuedAt).toEqual(queuedAt);
    await expect(setRetryBudget(db, randomUUID(), { maxAttempts: 1, queuedAt })).rejects.toThrow();
  });
});
