import { randomUUID } from "node:crypto";
import { System, waitFor } from "@jobstream/testing";
import { measureCpu, processGroups } from "./cpu";
import { syntheticCompleted } from "./measure";
import { profileEnv } from "./profile";

export interface MirrorLagResult {
  readonly targetJobsPerSec: number;
  readonly seconds: number;
  readonly jobs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export interface ItemRateResult {
  readonly items: number;
  readonly seconds: number;
  readonly perSec: number;
  /** CPU while the items were written, in % of one core (worker = work + mirror roles). */
  readonly cpuPercent: Record<string, number>;
}

/**
 * Enqueues `synthetic/noop` jobs at a steady rate for `seconds` and measures, per job, the time
 * from the worker finishing it (`completed_at`, worker clock) to its row reading completed
 * (`updated_at`, set by the mirror's commit; same machine, same clock).
 */
export async function runMirrorLag(rate: number, seconds: number): Promise<MirrorLagResult> {
  const sys = new System();
  await sys.init();
  try {
    await sys.startApi({ BODY_LIMIT: "10mb", RATE_LIMIT_PER_MINUTE: "1000000", ...profileEnv() });
    await sys.startWorker("work,mirror,housekeep", profileEnv());
    const token = await sys.token({ sub: randomUUID(), org: randomUUID(), role: "service" });
    const tickMs = 100;
    const perTick = Math.max(1, Math.round((rate * tickMs) / 1000));
    const started = performance.now();
    let sent = 0;
    while (performance.now() - started < seconds * 1000) {
      const due = Math.floor(((performance.now() - started) / tickMs + 1) * perTick);
      const size = Math.min(1000, due - sent);
      if (size > 0) {
        await sys.request("POST", "/v1/jobs/batch", {
          token,
          body: {
            jobs: Array.from({ length: size }, () => ({ type: "synthetic", subtype: "noop", input: { items: 10 } })),
          },
        });
        sent += size;
      }
      const wait = started + (sent / perTick) * tickMs - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    await syntheticCompleted(sys, sent, 200);
    const [lag] = await sys.query<{ p50: number; p99: number; max: number }>(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99, max(ms) AS max
       FROM (SELECT extract(epoch FROM updated_at - completed_at) * 1000 AS ms FROM jobs WHERE type = 'synthetic') s`,
    );
    return {
      targetJobsPerSec: rate,
      seconds,
      jobs: sent,
      p50Ms: Number(lag?.p50),
      p99Ms: Number(lag?.p99),
      maxMs: Number(lag?.max),
    };
  } finally {
    await sys.stop();
  }
}

/** One job reporting `items` outcomes: item rows written to Postgres per second. */
export async function runItemRate(items: number): Promise<ItemRateResult> {
  const sys = new System();
  await sys.init();
  try {
    await sys.startApi(profileEnv());
    const worker = await sys.startWorker("work,mirror,housekeep", profileEnv());
    const token = await sys.token({ sub: randomUUID(), org: randomUUID(), role: "member" });
    const groups = {
      worker: () => (worker.child.pid === undefined ? [] : [worker.child.pid]),
      postgres: processGroups.postgres,
      redis: processGroups.redis,
    };
    const started = performance.now();
    const { result: job, cpuPercent } = await measureCpu(groups, async () => {
      const enqueued = await sys.enqueue(token, { type: "synthetic", subtype: "noop", input: { items } });
      // The job's item counter is written by the statement that writes the rows, so it reaches
      // `items` exactly when the last row is in: polled instead of a count(*) of up to 100,000 rows
      // every 50 ms (25–33 ms of Postgres each, a third of a core taken from what is measured).
      await waitFor(
        "every item row counted",
        async () => {
          const [row] = await sys.query<{ n: number }>(`SELECT processed_items AS n FROM jobs WHERE id = $1`, [
            enqueued.id,
          ]);
          return row?.n === items ? true : undefined;
        },
        { timeoutMs: 600_000, intervalMs: 50 },
      );
      return enqueued;
    });
    const seconds = (performance.now() - started) / 1000;
    const [rows] = await sys.query<{ n: number }>(`SELECT count(*)::int AS n FROM job_items WHERE job_id = $1`, [
      job.id,
    ]);
    if (rows?.n !== items)
      throw new Error(`the counter said ${String(items)} items, the table holds ${String(rows?.n)}`);
    await sys.waitForStatus(token, job.id, "completed", 60_000);
    return { items, seconds, perSec: items / seconds, cpuPercent };
  } finally {
    await sys.stop();
  }
}
