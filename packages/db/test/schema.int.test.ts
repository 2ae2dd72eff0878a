import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { findJobByIdempotencyKey, insertPendingJob } from "../src/index";
import { it, newJob, sqlState } from "./fixtures";

describe("jobs constraints", () => {
  it("stores a pending job with its created event", async ({ db }) => {
    const job = await insertPendingJob(db, newJob());
    expect(job.status).toBe("pending");
    expect(Number(job.progressPercent)).toBe(0);
    const events = await db.jobEvent.findMany({ where: { jobId: job.id } });
    expect(events.map((e) => e.type)).toEqual(["created"]);
  });

  it("rejects progress outside 0-100", async ({ db }) => {
    const job = await insertPendingJob(db, newJob());
    expect(await sqlState(db, `UPDATE jobs SET progress_percent = 120 WHERE id = $1::uuid`, job.id)).toBe("23514");
    expect(await sqlState(db, `UPDATE jobs SET progress_percent = -1 WHERE id = $1::uuid`, job.id)).toBe("23514");
    expect(await sqlState(db, `UPDATE jobs SET progress_percent = 100 WHERE id = $1::uuid`, job.id)).toBeNull();
  });

  it("rejects negative counters and attempts", async ({ db }) => {
    const job = await insertPendingJob(db, newJob());
    for (const column of [
      "processed_items",
      "failed_items",
      "skipped_items",
      "total_items",
      "attempts",
      "duration_ms",
    ]) {
      expect(await sqlState(db, `UPDATE jobs SET ${column} = -1 WHERE id = $1::uuid`, job.id), column).toBe("23514");
    }
    expect(await sqlState(db, `UPDATE jobs SET max_attempts = 0 WHERE id = $1::uuid`, job.id)).toBe("23514");
  });

  it("rejects unknown statuses", async ({ db }) => {
    const job = await insertPendingJob(db, newJob());
    expect(await sqlState(db, `UPDATE jobs SET status = 'exploded' WHERE id = $1::uuid`, job.id)).toBe("22P02");
    expect(await sqlState(db, `UPDATE job_items SET status = 'meh' WHERE job_id = $1::uuid`, job.id)).toBe("22P02");
  });

  it("keeps metadata an object", async ({ db }) => {
    const job = await insertPendingJob(db, newJob());
    expect(await sqlState(db, `UPDATE jobs SET metadata = '[1]' WHERE id = $1::uuid`, job.id)).toBe("23514");
  });

  it("deletes a deleted job's items with it; its events wait for their day's partition to be dropped", async ({
    db,
  }) => {
    const job = await insertPendingJob(db, newJob());
    await db.jobItem.createMany({
      data: [
        { jobId: job.id, ref: "a", status: "success" },
        { jobId: job.id, ref: "b", status: "error", errorCode: "bad" },
      ],
    });
    await db.jobEvent.create({ data: { jobId: job.id, jobCreatedAt: job.createdAt, type: "queued" } });
    expect(await db.jobItem.count({ where: { jobId: job.id } })).toBe(2);
    await db.job.delete({ where: { id: job.id } });
    expect(await db.jobItem.count({ where: { jobId: job.id } })).toBe(0);
    // No cascade (docs/history.md): nothing reads a job's events without its row.
    expect(await db.jobEvent.count({ where: { jobId: job.id } })).toBe(2);
  });

  it("keeps item refs unique per job", async ({ db }) => {
    const job = await insertPendingJob(db, newJob());
    await db.jobItem.create({ data: { jobId: job.id, ref: "x" } });
    const other = await insertPendingJob(db, newJob());
    await db.jobItem.create({ data: { jobId: other.id, ref: "x" } });
    expect(await sqlState(db, `INSERT INTO job_items (job_id, ref) VALUES ($1::uuid, 'x')`, job.id)).toBe("23505");
  });

  it("makes an idempotency key unique per org, not across orgs", async ({ db }) => {
    const orgA = randomUUID();
    const orgB = randomUUID();
    const first = await insertPendingJob(db, newJob({ orgId: orgA, idempotencyKey: "import-42" }));
    await expect(insertPendingJob(db, newJob({ orgId: orgA, idempotencyKey: "import-42" }))).rejects.toThrow();
    const other = await insertPendingJob(db, newJob({ orgId: orgB, idempotencyKey: "import-42" }));
    expect(other.id).not.toBe(first.id);
    expect((await findJobByIdempotencyKey(db, orgA, "import-42"))?.id).toBe(first.id);
    // Jobs without a key never collide.
    await insertPendingJob(db, newJob({ orgId: orgA }));
    await insertPendingJob(db, newJob({ orgId: orgA }));
    expect(await db.job.count({ where: { orgId: orgA } })).toBe(3);
  });

  it("sets a deleted parent's children free", async ({ db }) => {
    const parent = await insertPendingJob(db, newJob());
    const child = await insertPendingJob(db, newJob({ parentId: parent.id }));
    await db.job.delete({ where: { id: parent.id } });
    expect((await db.job.findUnique({ where: { id: child.id } }))?.parentId).toBeNull();
  });
});
