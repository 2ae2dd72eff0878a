import { describe, expect } from "vitest";
import { waitFor, type AppProcess } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";

// Two `work` processes: one is killed holding a job, the other must finish it.
const it = systemTest(async (sys) => {
  await sys.startApi();
  await sys.startWorker("mirror,housekeep");
  return sys.startWorkers(2, "work", { LOG_LEVEL: "debug" });
});

/** The worker process whose log says it started the job. */
function holderOf(workers: AppProcess[], jobId: string): Promise<AppProcess> {
  return waitFor(`a worker to start ${jobId}`, () =>
    workers.find(
      (w) =>
        w.child.exitCode === null &&
        w.output().includes(`"jobId":"${jobId}"`) &&
        w.output().includes('"msg":"job started"'),
    ),
  );
}

describe("a worker killed mid-job", () => {
  it("loses nothing: the job completes on the other worker with correct, unduplicated items", async ({
    sys,
    member,
    started: workers,
  }) => {
    // Long enough that Postgres shows the first half of the items while the first run still holds
    // the job, even when the mirror lags by seconds: the kill must land mid-job, not after it.
    const job = await sys.enqueue(member, {
      type: "synthetic",
      input: { durationMs: 16_000, items: 40, steps: ["a", "b", "c", "d"] },
    });
    const holder = await holderOf(workers, job.id);
    // Let it report some items first (the first two steps' worth).
    await waitFor("items from the first run", async () => (await sys.job(member, job.id)).items.processed >= 20, {
      timeoutMs: 30_000,
    });
    holder.kill("SIGKILL");
    await holder.exited();
    const survivor = workers.find((w) => w !== holder);
    if (!survivor) throw new Error("no second worker");

    const done = await sys.waitForStatus(member, job.id, "completed", 90_000);
    expect(survivor.output()).toContain(`"jobId":"${job.id}"`);
    expect(done.items).toEqual({ total: 40, processed: 40, failed: 0, skipped: 0 });
    expect(done.progress.percent).toBe(100);
    const [counts] = await sys.query<{ rows: number; refs: number }>(
      `SELECT count(*)::int AS rows, count(DISTINCT ref)::int AS refs FROM job_items WHERE job_id = $1`,
      [job.id],
    );
    expect(counts).toEqual({ rows: 40, refs: 40 });
    const starts = await sys.query(`SELECT 1 FROM job_events WHERE job_id = $1 AND type = 'started'`, [job.id]);
    expect(starts.length).toBe(2);
  });
});
