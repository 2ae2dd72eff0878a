import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { PrivateRedis, System, waitFor } from "@jobstream/testing";
import { syntheticCompleted } from "./measure";

/** Bytes one job occupies in Redis and in Postgres: the storage side of the capacity model (docs/scaling.md). */
export interface FootprintResult {
  readonly jobs: number;
  readonly itemsPerJob: number;
  /** Redis memory per job while it waits in its queue (nothing runs it yet). */
  readonly redisBytesPerWaitingJob: number;
  /** Redis memory per job left once every job completed (BullMQ's completed-job retention). */
  readonly redisBytesPerFinishedJob: number;
  /** Postgres heap + indexes + TOAST per job, by table (a partitioned table counts all its partitions). */
  readonly postgresBytesPerJob: Record<string, number>;
  readonly postgresBytesPerJobTotal: number;
  /** WAL written per job from the first enqueue to the last item row (the server's, so other load counts too). */
  readonly walBytesPerJob: number;
}

const BATCH = 1000;
const TABLES = ["jobs", "job_items", "job_events"] as const;

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info("memory");
  const match = /used_memory:(\d+)/.exec(info);
  if (!match?.[1]) throw new Error("INFO memory has no used_memory");
  return Number(match[1]);
}

async function walLsn(sys: System): Promise<string> {
  const [row] = await sys.query<{ lsn: string }>(`SELECT pg_current_wal_lsn()::text AS lsn`);
  if (!row) throw new Error("no WAL position");
  return row.lsn;
}

/**
 * N `synthetic/noop` jobs with `items` outcomes each on a private Redis (so its memory counts only
 * this run): enqueued with no worker running (the waiting footprint), then run and mirrored to the
 * end (the finished footprint and the Postgres tables' size per job).
 */
export async function runFootprint(n: number, items: number): Promise<FootprintResult> {
  const redisServer = await PrivateRedis.create({ persistent: false });
  const redis = new Redis(redisServer.url);
  const sys = new System(redisServer.url);
  try {
    await sys.init();
    await sys.startApi({ BODY_LIMIT: "10mb" });
    const token = await sys.token({ sub: randomUUID(), org: randomUUID(), role: "service" });
    const walBefore = await walLsn(sys);
    const memoryBefore = await usedMemory(redis);
    const job = { type: "synthetic", subtype: "noop", input: { items } };
    for (let sent = 0; sent < n; sent += BATCH) {
      const size = Math.min(BATCH, n - sent);
      const res = await sys.request("POST", "/v1/jobs/batch", { token, body: { jobs: Array(size).fill(job) } });
      if (res.status !== 202) throw new Error(`batch answered ${res.status}`);
    }
    await waitFor(
      "every job in its queue",
      async () => {
        const [row] = await sys.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE status = 'queued'`);
        return row?.n === n ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 100 },
    );
    const memoryWaiting = await usedMemory(redis);

    await sys.startWorker("work", { CONCURRENCY_SYNTHETIC: "50" });
    await sys.startWorker("mirror,housekeep");
    await syntheticCompleted(sys, n, 100);
    await waitFor(
      "every item row",
      async () => {
        // The bench's jobs only: a run this long also sees the housekeeper's own jobs and their items.
        const [row] = await sys.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM job_items i JOIN jobs j ON j.id = i.job_id WHERE j.type = 'synthetic'`,
        );
        return row?.n === n * items ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 100 },
    );
    const memoryFinished = await usedMemory(redis);
    const [wal] = await sys.query<{ bytes: string }>(
      `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::text AS bytes`,
      [walBefore],
    );
    await sys.query(`VACUUM ANALYZE jobs, job_items, job_events`);
    const sizes = await sys.query<{ name: string; bytes: string }>(
      // A plain table is its own tree; a partitioned one's parent holds no data, its partitions do.
      `SELECT t.name, sum(pg_total_relation_size(c.oid))::text AS bytes
         FROM unnest($1::text[]) AS t(name)
         JOIN pg_class c ON c.oid = t.name::regclass
           OR c.oid IN (SELECT relid FROM pg_partition_tree(t.name::regclass))
        GROUP BY t.name`,
      [TABLES],
    );
    const postgresBytesPerJob = Object.fromEntries(sizes.map((s) => [s.name, Math.round(Number(s.bytes) / n)]));
    return {
      jobs: n,
      itemsPerJob: items,
      redisBytesPerWaitingJob: Math.round((memoryWaiting - memoryBefore) / n),
      redisBytesPerFinishedJob: Math.round((memoryFinished - memoryBefore) / n),
      postgresBytesPerJob,
      postgresBytesPerJobTotal: Object.values(postgresBytesPerJob).reduce((a, b) => a + b, 0),
      walBytesPerJob: Math.round(Number(wal?.bytes ?? 0) / n),
    };
  } finally {
    await sys.stop();
    redis.disconnect();
    await redisServer.destroy();
  }
}
