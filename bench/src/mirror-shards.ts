import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { keysFor } from "@jobstream/queue";
import { heldShards, mirroredEntries, System, waitFor, type AppProcess } from "@jobstream/testing";
import { measureCpu, processGroups } from "./cpu";
import { syntheticCompleted } from "./measure";
import { profileEnv } from "./profile";

export interface MirrorShardsRun {
  readonly mirrors: number;
  readonly shards: number;
  readonly jobs: number;
  /** Stream entries waiting when the mirrors resumed (one per short job, more when items overflow). */
  readonly entries: number;
  readonly seconds: number;
  readonly jobsPerSec: number;
  /** Entries each mirror process applied. */
  readonly perMirror: readonly number[];
  /** CPU while the backlog drained, in % of one core (mirrors summed). */
  readonly cpuPercent: Record<string, number>;
}

const BATCH = 1000;
const QUEUE = "synthetic";

/**
 * Mirror throughput on one hot queue split over `shards` streams, with `mirrors` mirror
 * processes: they settle on their shares, are paused (SIGSTOP) while a work process builds a
 * backlog of `n` finished `synthetic/noop` jobs with `items` outcomes each, then resume together;
 * timed until every row reads completed. Leases outlive the pause, so nobody's shards move.
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
  try {
    const env = { MIRROR_SHARDS: String(shards), ...profileEnv() };
    await sys.startApi({ ...env, BODY_LIMIT: "10mb", RATE_LIMIT_PER_MINUTE: "1000000" });
    await sys.startWorker("work", env);
    const mirrorProcesses = await sys.startWorkers(mirrors, "mirror", { ...env, MIRROR_LEASE_MS: "600000" });
    const share = Math.ceil(shards / mirrors);
    await waitFor(
      "the mirrors to settle on their shares",
      () => mirrorProcesses.every((m) => heldShards(m, QUEUE).size === share) || undefined,
      { timeoutMs: 60_000 },
    );
    for (const m of mirrorProcesses) m.kill("SIGSTOP");
    const entries = await buildBacklog(sys, queue, redis, n, items, shards);
    const pids = () => mirrorProcesses.flatMap((m) => (m.child.pid === undefined ? [] : [m.child.pid]));
    const started = performance.now();
    const { cpuPercent } = await measureCpu(
      { mirrors: pids, postgres: processGroups.postgres, redis: processGroups.redis },
      async () => {
        for (const m of mirrorProcesses) m.kill("SIGCONT");
        await syntheticCompleted(sys, n, 50);
      },
    );
    const seconds = (performance.now() - started) / 1000;
    const perMirror = await Promise.all(mirrorProcesses.map((m: AppProcess) => mirroredEntries(m)));
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
  const job = { type: QUEUE, subtype: "noop", input: { items } };
  for (let sent = 0; sent < n; sent += BATCH) {
    const size = Math.min(BATCH, n - sent);
    const res = await sys.request("POST", "/v1/jobs/batch", {
      token,
      body: { jobs: Array.from({ length: size }, () => job) },
    });
    if (res.status !== 202) throw new Error(`batch answered ${res.status}`);
  }
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
