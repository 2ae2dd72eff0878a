// The load the outage tests put through the system, and the check that every accepted job ended correct.
import { expect } from "vitest";
import { waitFor, type System } from "@jobstream/testing";
import { sleep, waitForChecks, type Servers } from "./outage-fixture";

const ITEMS = 3;
/** A finished job's row as the invariants need it, with the item outcomes counted from job_items. */
interface JobCheck {
  id: string;
  status: string;
  processed_items: number;
  failed_items: number;
  outcomes: number;
  errors: number;
}

function jobBody(i: number): Record<string, unknown> {
  return {
    type: "synthetic",
    subtype: "work",
    maxAttempts: 10,
    input: {
      durationMs: 20 + (i % 5) * 40,
      items: ITEMS,
      failItems: i % 4 === 0 ? [1] : [],
      failAttempts: i % 9 === 0 ? 1 : 0,
    },
  };
}

/** Enqueues `count` jobs in batches; returns the ids the API accepted and every answer's status. */
export async function enqueueMany(
  sys: System,
  token: string,
  count: number,
): Promise<{ ids: string[]; statuses: number[] }> {
  const ids: string[] = [];
  const statuses: number[] = [];
  for (let start = 0; start < count; start += 25) {
    const jobs = Array.from({ length: Math.min(25, count - start) }, (_, k) => jobBody(start + k));
    try {
      const res = await sys.request<{ jobs: { job: { id: string } }[] }>("POST", "/v1/jobs/batch", {
        token,
        body: { jobs },
      });
      statuses.push(res.status);
      if (res.status === 202) ids.push(...res.body.jobs.map((a) => a.job.id));
    } catch {
      statuses.push(0);
    }
  }
  return { ids, statuses };
}

/** Every accepted job reaches `completed`, with counters equal to its item rows. */
export async function expectAllCorrect(sys: System, ids: string[]): Promise<void> {
  const rows = await waitFor(
    `${ids.length} jobs to finish`,
    async () => {
      const found = await sys.query<JobCheck>(
        `SELECT j.id, j.status::text AS status, j.processed_items, j.failed_items,
              (SELECT count(*) FROM job_items i
                WHERE i.job_id = j.id AND i.status::text IN ('success', 'error', 'skipped'))::int AS outcomes,
              (SELECT count(*) FROM job_items i WHERE i.job_id = j.id AND i.status::text = 'error')::int AS errors
         FROM jobs j WHERE j.id = ANY($1::uuid[])`,
        [ids],
      );
      const done = found.filter((r) => ["completed", "failed", "cancelled"].includes(r.status));
      return found.length === ids.length && done.length === ids.length ? found : undefined;
    },
    { timeoutMs: 180_000, intervalMs: 500 },
  );
  const wrong = rows.filter(
    (r) =>
      r.status !== "completed" || r.processed_items !== ITEMS || r.outcomes !== ITEMS || r.failed_items !== r.errors,
  );
  expect(wrong).toEqual([]);
}

/**
 * Jobs in flight while Redis goes out and comes back empty, then while Postgres restarts, then
 * both; jobs are also offered during each outage (accepted ones count, refused ones must be a
 * clean 503).
 */
export async function outagesMidRun(
  { redis, postgres }: Servers,
  sys: System,
  token: string,
  apiBase: string,
  healthBases: string[],
): Promise<string[]> {
  const accepted: string[] = [];
  const statuses: number[] = [];
  const offer = async (count: number) => {
    const result = await enqueueMany(sys, token, count);
    accepted.push(...result.ids);
    statuses.push(...result.statuses);
  };
  await offer(60);
  await sleep(300);
  await redis.stop();
  await offer(20); // accepted into Postgres; the outbox sends them once Redis is back
  // Every process has seen the outage (not merely: some time has passed) before Redis returns.
  await waitForChecks([apiBase, ...healthBases], { redis: "down", postgres: "ok" });
  await redis.start(); // empty: queues, streams, consumer groups, leases are gone
  await waitForChecks([apiBase, ...healthBases], { redis: "ok", postgres: "ok" });
  await offer(40);
  await sleep(300);
  await postgres.stop("fast");
  await offer(10);
  await waitForChecks([apiBase, ...healthBases], { redis: "ok", postgres: "down" });
  await postgres.start();
  await waitForChecks([apiBase, ...healthBases], { redis: "ok", postgres: "ok" });
  await offer(60);
  await sleep(300);
  // Both at once, as in the reported incident: Redis comes back empty while Postgres is still out.
  await Promise.all([redis.stop(), postgres.stop("fast")]);
  await offer(10);
  await waitForChecks([apiBase, ...healthBases], { redis: "down", postgres: "down" });
  await redis.start();
  await waitForChecks([apiBase, ...healthBases], { redis: "ok", postgres: "down" });
  await postgres.start();
  await waitForChecks([apiBase, ...healthBases], { redis: "ok", postgres: "ok" });
  await offer(30);
  expect(statuses.filter((s) => s !== 202 && s !== 503)).toEqual([]);
  expect(accepted.length).toBeGreaterThanOrEqual(200);
  return accepted;
}
