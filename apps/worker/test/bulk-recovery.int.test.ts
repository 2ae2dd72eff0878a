import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { insertPendingJobs } from "@jobstream/db";
import { newJobRow } from "@jobstream/db/testing";
import { waitFor, type AppProcess } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";

// A bulk cancel whose worker is killed midway: another `work` process takes the bulk job over
// (short locks: it returns soon after the kill) and continues from the progress saved in Postgres.
const it = systemTest(async (sys) => {
  await sys.startApi();
  await sys.startWorker("mirror");
  return sys.startWorkers(2, "work", { WORKER_LOCK_MS: "2000", LOG_LEVEL: "debug" });
});

const alive = (w: AppProcess) => w.child.exitCode === null && w.child.signalCode === null;

describe("bulk actions survive a killed worker", () => {
  it(
    "cancels each of 10,000 matching jobs once, and nothing outside the filter",
    { timeout: 400_000 },
    async ({ sys, started: workers }) => {
      const org = randomUUID();
      // Rows inserted as enqueue stores them, marked delayed as if BullMQ held them: the cancel path
      // finds no BullMQ job and records the cancel in Postgres, as for a job removed from Redis.
      const rows = (n: number, orgId: string, metadata: Record<string, unknown>) =>
        Array.from({ length: n }, () => newJobRow({ orgId, metadata, runAt: new Date(Date.now() + 86_400_000) }));
      const matching = rows(10_000, org, { bulk: "in" });
      const outside = [...rows(300, org, { bulk: "out" }), ...rows(300, randomUUID(), { bulk: "in" })];
      for (let i = 0; i < matching.length; i += 2000) await insertPendingJobs(sys.pool, matching.slice(i, i + 2000));
      await insertPendingJobs(sys.pool, outside);
      await sys.query(`UPDATE jobs SET status = 'delayed' WHERE type = 'synthetic'`);

      const admin = await sys.token({ sub: randomUUID(), org, role: "admin" });
      const res = await sys.request<{ bulk: { id: string; matched: number } }>("POST", "/v1/jobs/bulk", {
        token: admin,
        body: { action: "cancel", filter: { metadata: JSON.stringify({ bulk: "in" }) } },
      });
      expect(res.status).toBe(202);
      expect(res.body.bulk.matched).toBe(10_000);
      const id = res.body.bulk.id;
      // Jobs created after the request match the filter but are not part of it.
      const later = rows(50, org, { bulk: "in" });
      await insertPendingJobs(sys.pool, later);
      await sys.query(`UPDATE jobs SET status = 'delayed' WHERE id = ANY($1::uuid[])`, [later.map((r) => r.id)]);

      const holder = await waitFor("a worker to take the bulk job", () =>
        workers.find((w) => alive(w) && w.output().includes(`"jobId":"${id}"`)),
      );
      const progress = async () =>
        (await sys.query<{ done: number }>(`SELECT done FROM bulk_progress WHERE job_id = $1`, [id]))[0]?.done ?? 0;
      const atKill = await waitFor("a few batches", async () => ((await progress()) >= 1000 ? progress() : undefined), {
        timeoutMs: 120_000,
        intervalMs: 20,
      });
      holder.kill("SIGKILL");
      await holder.exited();
      expect(atKill).toBeLessThan(10_000);

      const done = await sys.waitForStatus(admin, id, "completed", 300_000);
      const output = done.output as { done: number; skipped: number };
      // The next attempt resumed after the last saved batch (starting over would meet 1,000 or more
      // cancelled jobs): only a batch the killed attempt acted on but did not save is met again, its
      // jobs skipped then (already cancelled, no second event).
      expect(output.done + output.skipped).toBe(10_000);
      expect(output.skipped).toBeLessThanOrEqual(200);
      expect(
        await sys.countInStatus(
          matching.map((r) => r.id),
          "cancelled",
        ),
      ).toBe(10_000);
      expect(
        await sys.countInStatus(
          [...outside, ...later].map((r) => r.id),
          "delayed",
        ),
      ).toBe(650);
      // Every matching job has exactly one cancel event, naming the bulk job; no other job has one.
      const events = await sys.query<{ n: number; jobs: number; once: boolean }>(
        `SELECT count(*)::int AS n, count(DISTINCT job_id)::int AS jobs, bool_and(data->>'by' = $2) AS once
       FROM job_events e JOIN jobs j ON j.id = e.job_id
       WHERE e.type = 'cancelled' AND j.type = 'synthetic' AND j.created_at <= $1`,
        [new Date(), `bulk:${id}`],
      );
      expect(events).toEqual([{ n: 10_000, jobs: 10_000, once: true }]);
    },
  );
});
