import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { System, waitFor, type AppProcess } from "@jobstream/testing";

const sys = new System();
let member: string;
let workers: AppProcess[];

beforeAll(async () => {
  await sys.init();
  await sys.startApi();
  await sys.startWorker("mirror,housekeep");
  workers = [
    await sys.startWorker("work", { LOG_LEVEL: "debug" }),
    await sys.startWorker("work", { LOG_LEVEL: "debug" }),
  ];
  member = await sys.token({ sub: randomUUID(), org: randomUUID(), role: "member" });
}, 60_000);
afterAll(async () => {
  await sys.stop();
}, 60_000);

/** The worker process whose log says it started the job. */
function holderOf(jobId: string): Promise<AppProcess> {
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
  it("loses nothing: the job completes on the other worker with correct, unduplicated items", async () => {
    // Long enough that Postgres shows the first half of the items while the first run still holds
    // the job, even when the mirror lags by seconds: the kill must land mid-job, not after it.
    const job = await sys.enqueue(member, {
      type: "synthetic",
      input: { durationMs: 16_000, items: 40, steps: ["a", "b", "c", "d"] },
    });
    const holder = await holderOf(job.id);
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
