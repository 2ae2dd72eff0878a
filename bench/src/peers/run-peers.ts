import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";
import PgBoss from "pg-boss";
import { deletePrefix, testDatabase, testEnv, testQueuePrefix, waitFor } from "@jobstream/testing";
import { pidsOf, startBenchChild, stopBenchChild } from "../child";
import { measureCpu, processGroups } from "../cpu";
import { ENQUEUE_SQL, PEER_SCHEMA } from "./peer-sql";

/** One peer's run of the pipeline workload. */
export interface PeerResult {
  readonly jobsPerSec: number;
  readonly seconds: number;
  /** CPU of the peer's own processes (worker, mirror, producer), Postgres and Redis, in % of one core. */
  readonly cpuPercent: Record<string, number>;
}

const BATCH = 1000;

/** Waits until every peer row is completed and every item row exists (what the Jobstream run waits for). */
async function peerDone(pool: pg.Pool, n: number, items: number): Promise<void> {
  await waitFor(
    "every peer job completed with its items",
    async () => {
      const { rows } = await pool.query<{ done: number; items: number }>(
        `SELECT (SELECT count(*)::int FROM peer_jobs WHERE status = 'completed') AS done,
                (SELECT count(*)::int FROM peer_job_items) AS items`,
      );
      return rows[0]?.done === n && rows[0].items === n * items ? true : undefined;
    },
    { timeoutMs: 600_000, intervalMs: 50 },
  );
}

/** Inserts a batch's rows (queued, with their timeline entry) and hands back their ids. */
async function insertRows(pool: pg.Pool, size: number, items: number): Promise<string[]> {
  const ids = Array.from({ length: size }, () => randomUUID());
  await pool.query(ENQUEUE_SQL, [ids, JSON.stringify({ items })]);
  return ids;
}

async function withPeerDatabase<T>(run: (url: string, pool: pg.Pool) => Promise<T>): Promise<T> {
  const database = await testDatabase();
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  try {
    await pool.query(PEER_SCHEMA);
    return await run(database.url, pool);
  } finally {
    await pool.end();
    await database.drop();
  }
}

/** pg-boss 10: the producer inserts rows and jobs by 1,000; a worker process runs each and writes its rows. */
export function runPgBoss(n: number, items: number, concurrency: number): Promise<PeerResult> {
  return withPeerDatabase(async (url, pool) => {
    const boss = new PgBoss({ connectionString: url, max: 2, supervise: false, schedule: false });
    boss.on("error", (error) => {
      console.error(error);
    });
    await boss.start();
    await boss.createQueue("peer");
    const worker = await startBenchChild("peers/pgboss-worker.ts", [url, String(concurrency)], "peer worker ready");
    try {
      const started = performance.now();
      const groups = { worker: pidsOf(worker), postgres: processGroups.postgres, self: processGroups.self };
      const { cpuPercent } = await measureCpu(groups, async () => {
        for (let sent = 0; sent < n; sent += BATCH) {
          const ids = await insertRows(pool, Math.min(BATCH, n - sent), items);
          await boss.insert(ids.map((id) => ({ id, name: "peer", data: { items } })));
        }
        await peerDone(pool, n, items);
      });
      const seconds = (performance.now() - started) / 1000;
      return { jobsPerSec: n / seconds, seconds, cpuPercent };
    } finally {
      await stopBenchChild(worker);
      await boss.stop({ graceful: false, wait: true });
    }
  });
}

/**
 * BullMQ with the mirror teams write by hand: rows inserted before addBulk, a plain worker, and a
 * QueueEvents listener writing each change through Prisma (event stream cap raised so none is lost).
 */
export function runBullmqPrisma(n: number, items: number, concurrency: number): Promise<PeerResult> {
  return withPeerDatabase(async (url, pool) => {
    const prefix = testQueuePrefix();
    const connection = new Redis(testEnv.redisUrl, { maxRetriesPerRequest: null });
    const queue = new Queue("peer", { connection, prefix, streams: { events: { maxLen: 1_000_000 } } });
    const mirror = await startBenchChild(
      "peers/bullmq-mirror.ts",
      [testEnv.redisUrl, prefix, url],
      "peer mirror ready",
    );
    const worker = await startBenchChild(
      "peers/bullmq-worker.ts",
      [testEnv.redisUrl, prefix, String(concurrency)],
      "peer worker ready",
    );
    try {
      const started = performance.now();
      const groups = { worker: pidsOf(worker), mirror: pidsOf(mirror), ...processGroups };
      const { cpuPercent } = await measureCpu(groups, async () => {
        for (let sent = 0; sent < n; sent += BATCH) {
          const ids = await insertRows(pool, Math.min(BATCH, n - sent), items);
          await queue.addBulk(ids.map((jobId) => ({ name: "peer", data: { items }, opts: { jobId } })));
        }
        await peerDone(pool, n, items);
      });
      const seconds = (performance.now() - started) / 1000;
      return { jobsPerSec: n / seconds, seconds, cpuPercent };
    } finally {
      await stopBenchChild(worker);
      await stopBenchChild(mirror);
      await queue.close();
      connection.disconnect();
      await deletePrefix(prefix);
    }
  });
}
