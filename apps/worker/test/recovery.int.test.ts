import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { deletePrefix, System, waitFor } from "@jobstream/testing";

const sys = new System();
let member: string;

beforeAll(async () => {
  await sys.init();
  await sys.startApi();
  await sys.startWorker("work,housekeep");
  member = await sys.token({ sub: randomUUID(), org: randomUUID(), role: "member" });
}, 60_000);
afterAll(async () => {
  await sys.stop();
}, 60_000);

async function enqueueMany(n: number, input: Record<string, unknown>, subtype = "noop"): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < n; start += 1000) {
    const size = Math.min(1000, n - start);
    const res = await sys.request<{ jobs: { job: { id: string } }[] }>("POST", "/v1/jobs/batch", {
      token: member, body: { jobs: Array.from({ length: size }, () => ({ type: "synthetic", subtype, input })) },
    });
    if (res.status !== 202) throw new Error(`batch answered ${res.status}`);
    ids.push(...res.body.jobs.map((j) => j.job.id));
  }
  return ids;
}

async function summary(ids: string[]): Promise<{ completed: number; items_ok: number; rows: number } | undefined> {
  const [row] = await sys.query<{ completed: number; items_ok: number; rows: number }>(
    `SELECT count(*) FILTER (WHERE status = 'completed')::int AS completed,
            count(*) FILTER (WHERE processed_items = 2 AND total_items = 2)::int AS items_ok,
            (SELECT count(*)::int FROM job_items WHERE job_id = ANY($1::uuid[])) AS rows
     FROM jobs WHERE id = ANY($1::uuid[])`, [ids]);
  return row;
}

describe("recovery", () => {
  it("applies everything after the mirror was down while 2,000 jobs ran", async () => {
    const mirror = await sys.startWorker("mirror");
    mirror.kill("SIGKILL");
    await mirror.exited();
    const ids = await enqueueMany(2000, { items: 2 });
    // Every job finishes in BullMQ while nothing writes their rows.
    await waitFor("the jobs to run", async () => {
      const [r] = await sys.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE id = ANY($1::uuid[]) AND status = 'completed'`, [ids]);
      return r?.n === 0 ? true : undefined;
    }, { timeoutMs: 5000 });
    const queue = new Queue("synthetic", { connection: { url: sys.redisUrl }, prefix: sys.prefix });
    await waitFor("BullMQ to finish 2,000 jobs", async () => ((await queue.getJobCounts("completed")).completed ?? 0) >= 2000, { timeoutMs: 60_000 });
    await queue.close();
    expect((await summary(ids))?.completed).toBe(0);

    await sys.startWorker("mirror");
    await waitFor("all rows completed", async () => ((await summary(ids))?.completed === 2000 ? true : undefined), { timeoutMs: 60_000 });
    expect(await summary(ids)).toEqual({ completed: 2000, items_ok: 2000, rows: 4000 });
  });

  it("re-enqueues every unfinished job from Postgres when the queue's Redis keys are deleted mid-run", async () => {
    const mirrors = sys.workers.filter((w) => w.child.exitCode === null && w.output().includes('"roles":["mirror"]'));
    if (mirrors.length === 0) await sys.startWorker("mirror");

    // More jobs than the worker runs at once (50), so some are waiting when their keys vanish.
    const ids = await enqueueMany(80, { durationMs: 1500, items: 2 }, "work");
    await waitFor("some jobs to run", async () => {
      const [r] = await sys.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE id = ANY($1::uuid[]) AND status = 'running'`, [ids]);
      return (r?.n ?? 0) > 0 ? true : undefined;
    });
    const deleted = await deletePrefix(sys.prefix, sys.redisUrl);
    expect(deleted).toBeGreaterThan(0);
    await waitFor("all rows completed", async () => ((await summary(ids))?.completed === 80 ? true : undefined), { timeoutMs: 90_000 });
    expect(await summary(ids)).toEqual({ completed: 80, items_ok: 80, rows: 160 });
    const requeued = await sys.query(`SELECT 1 FROM job_events WHERE job_id = ANY($1::uuid[]) AND type = 'requeued'`, [ids]);
    expect(requeued.length).toBeGreaterThan(0);
  });
});
