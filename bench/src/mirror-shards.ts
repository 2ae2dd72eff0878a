import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { keysFor } from "@jobstream/queue";
import { mirroredEntries, System, waitFor, type AppProcess } from "@jobstream/testing";
import { measureCpu, processGroups } from "./cpu";
import { enqueueNoops, syntheticCompleted } from "./measure";
import { profileEnv } from "./profile";

export interface MirrorShardsRun {
  readonly mirrors: number;
  readonly shards: number;
  readonly jobs: number;
  /** Stream entries waiting when the mirrors were let in (one per short job, more when a job's events span flushes). */
  readonly entries: number;
  /** From letting the mirrors in to the last row read completed (includes their next lease round, ≤ 1/3 s). */
  readonly seconds: number;
  readonly jobsPerSec: number;
  /** Entries each mirror process applied. */
  readonly perMirror: readonly number[];
  /** CPU while the backlog drained, in % of one core (mirrors summed). */
  readonly cpuPercent: Record<string, number>;
}

const QUEUE = "synthetic";

/**
 * Mirror throughput on one hot queue split over `shards` streams, with `mirrors` mirror
 * processes. The benchmark holds the queue's shard leases itself while a work process builds a
 * backlog of `n` finished `synthetic/noop` jobs with `items` outcomes each, then lets them go at
 * once: the mirrors, registered meanwhile, take their shares at their next round (≤ 1/3 s here)
 * and drain the backlog; timed until every row reads completed.
 */
export async function runMirrorShards(
  n: number,
  items: number,
  mirrors: number,
  shards: number,
): Promise<MirrorShardsRun> {
  const sys = new System();
  await sys.init();
  const redis = new Redis(sys.redisUrl);
  const queue = new Queue(QUEUE, { connection: redis, prefix: sys.prefix });
  const keys = keysFor(sys.prefix);
  const leases = Array.from({ length: shards }, (_, shard) => keys.mirrorLease(QUEUE, shard));
  try {
    const env = { MIRROR_SHARDS: String(shards), ...profileEnv() };
    for (const lease of leases) await redis.set(lease, "bench", "PX", 600_000);
    await sys.startApi({ ...env, BODY_LIMIT: "10mb", RATE_LIMIT_PER_MINUTE: "1000000" });
    await sys.startWorker("work", env);
    const mirrorProcesses = await sys.startWorkers(mirrors, "mirror", { ...env, MIRROR_LEASE_MS: "1000" });
    const entries = await buildBacklog(sys, queue, redis, n, items, shards);
    const pids = () => mirrorProcesses.flatMap((m) => (m.child.pid === undefined ? [] : [m.child.pid]));
    const { result: seconds, cpuPercent } = await measureCpu(
      { mirrors: pids, postgres: processGroups.postgres, redis: processGroups.redis },
      async () => {
        await redis.del(...leases);
        const started = performance.now();
        await syntheticCompleted(sys, n, 50);
        return (performance.now() - started) / 1000;
      },
    );
    // A batch is counted once acknowledged, just after its rows read completed.
    const perMirror = await waitFor("every entry counted", async () => {
      const counts = await Promise.all(mirrorProcesses.map((m: AppProcess) => mirroredEntries(m)));
      return counts.reduce((a, b) => a + b, 0) >= entries ? counts : undefined;
    });
    return { mirrors, shards, jobs: n, entries, seconds, jobsPerSec: n / seconds, perMirror, cpuPercent };
  } finally {
    await queue.close();
    redis.disconnect();
    await sys.stop();
  }
}

/** Enqueues the jobs and waits until the work process ran them all and their events sit in the streams. */
async function buildBacklog(
  sys: System,
  queue: Queue,
  redis: Redis,
  n: number,
  items: number,
  shards: number,
): Promise<number> {
  const token = await sys.token({ sub: randomUUID(), org: randomUUID(), role: "service" });
  await enqueueNoops(sys, token, n, items);
  await waitFor(
    "the work process to run every job",
    async () => {
      const counts = await queue.getJobCounts("wait", "active", "delayed", "prioritized");
      return Object.values(counts).every((c) => c === 0) || undefined;
    },
    { timeoutMs: 600_000, intervalMs: 100 },
  );
  // The last events follow their jobs' completion by a flush (≤ 25 ms): wait until the streams stop growing.
  let last = -1;
  for (;;) {
    const lengths = await Promise.all(
      Array.from({ length: shards }, (_, shard) => redis.xlen(keysFor(sys.prefix).events(QUEUE, shard))),
    );
    const total = lengths.reduce((a, b) => a + b, 0);
    if (total === last && total >= n) return total;
    last = total;
    await new Promise((r) => setTimeout(r, 300));
  }
}
