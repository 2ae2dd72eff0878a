import { describe, expect } from "vitest";
import { it } from "./fixtures";
import type pg from "pg";
import {
  applyMirrorBatch,
  deleteExpiredJobs,
  insertPendingJobs,
  type JobSnapshot,
  type MirrorEntry,
  type NewJobRow,
} from "../src/index";
import { jobSnapshot, newJobRow } from "../src/test-rows";

const HOUR = 3_600_000;

const row = (over: Partial<NewJobRow> = {}) => newJobRow({ retentionSeconds: 3600, ...over });
const snap = (over: Partial<JobSnapshot>) => jobSnapshot({ startedAt: Date.now() - 3 * HOUR, ...over });
const entry = (jobId: string, seq: number, snapshot: JobSnapshot): MirrorEntry => ({
  jobId,
  seq,
  snapshot,
  items: [],
  timeline: [],
});

async function expiresAt(pool: pg.Pool, id: string): Promise<Date | null | undefined> {
  const { rows } = await pool.query<{ expires_at: Date | null }>(`SELECT expires_at FROM jobs WHERE id = $1`, [id]);
  return rows[0]?.expires_at;
}

describe("retention counted from the finish", () => {
  it("has no expiry while a job has not finished, even with runAt far ahead or a created_at long ago", async ({
    pool,
  }) => {
    const later = row({ runAt: new Date(Date.now() + 30 * 86_400_000), retentionSeconds: 60 });
    const old = row({ createdAt: new Date(Date.now() - 90 * 86_400_000), retentionSeconds: 60 });
    await insertPendingJobs(pool, [later, old]);
    expect(await expiresAt(pool, later.id)).toBeNull();
    await applyMirrorBatch(pool, [entry(old.id, 1, snap({ status: "running" }))]);
    expect(await expiresAt(pool, old.id)).toBeNull();
    await deleteExpiredJobs(pool, 1000);
    expect(await expiresAt(pool, later.id)).toBeNull();
    expect(await expiresAt(pool, old.id)).toBeNull();
  });

  it("sets finish + the job's own retention when final; a retry clears it; finishing again sets a new one", async ({
    pool,
  }) => {
    const r = row({ createdAt: new Date(Date.now() - 90 * 86_400_000), retentionSeconds: 7200 });
    await insertPendingJobs(pool, [r]);
    const firstFinish = Date.now() - 3 * HOUR;
    await applyMirrorBatch(pool, [
      entry(r.id, 2, snap({ status: "failed", finishedAt: firstFinish, error: { code: "x", message: "y" } })),
    ]);
    expect((await expiresAt(pool, r.id))?.getTime()).toBe(firstFinish + 2 * HOUR);

    // The retry reopens the job: no expiry until it finishes again (the sweep must not take it).
    await applyMirrorBatch(pool, [entry(r.id, 3, snap({ status: "queued", attempts: 1, reopen: true }))]);
    expect(await expiresAt(pool, r.id)).toBeNull();
    await deleteExpiredJobs(pool, 1000);
    expect(await expiresAt(pool, r.id)).toBeNull();

    const secondFinish = Date.now() - 1000;
    await applyMirrorBatch(pool, [
      entry(r.id, 5, snap({ status: "completed", attempts: 2, progress: 100, finishedAt: secondFinish })),
    ]);
    expect((await expiresAt(pool, r.id))?.getTime()).toBe(secondFinish + 2 * HOUR);
    // A late or replayed event changes nothing.
    await applyMirrorBatch(pool, [entry(r.id, 4, snap({ status: "running", attempts: 2 }))]);
    expect((await expiresAt(pool, r.id))?.getTime()).toBe(secondFinish + 2 * HOUR);
  });

  it("applies to every path that finishes a job (here a plain UPDATE, as the API's cancel of a pending job)", async ({
    pool,
  }) => {
    const r = row({ retentionSeconds: 60 });
    await insertPendingJobs(pool, [r]);
    const at = new Date(Date.now() - 10 * 60_000);
    await pool.query(`UPDATE jobs SET status = 'cancelled', cancelled_at = $2 WHERE id = $1`, [r.id, at]);
    expect((await expiresAt(pool, r.id))?.getTime()).toBe(at.getTime() + 60_000);
    await pool.query(`UPDATE jobs SET status = 'queued', cancelled_at = NULL WHERE id = $1`, [r.id]);
    expect(await expiresAt(pool, r.id)).toBeNull();
  });

  it("the sweep deletes only finished jobs whose expiry passed", async ({ pool }) => {
    const expired = row({ retentionSeconds: 60 });
    const kept = row({ retentionSeconds: 86_400 });
    const running = row({ retentionSeconds: 60, createdAt: new Date(Date.now() - 86_400_000) });
    await insertPendingJobs(pool, [expired, kept, running]);
    const finishedAt = Date.now() - HOUR;
    await applyMirrorBatch(pool, [
      entry(expired.id, 2, snap({ status: "completed", progress: 100, finishedAt })),
      entry(kept.id, 2, snap({ status: "completed", progress: 100, finishedAt })),
      entry(running.id, 1, snap({ status: "running" })),
    ]);
    expect(await deleteExpiredJobs(pool, 1000, true)).toBeGreaterThanOrEqual(1);
    await deleteExpiredJobs(pool, 1000);
    expect(await expiresAt(pool, expired.id)).toBeUndefined();
    expect(await expiresAt(pool, kept.id)).toEqual(new Date(finishedAt + 86_400_000));
    expect(await expiresAt(pool, running.id)).toBeNull();
  });
});
