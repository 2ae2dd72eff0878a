import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { BULL_PRIORITY_LIMIT, FairShare, fairShareKeys, keysFor } from "@jobstream/queue";
import { deletePrefix, testEnv, testQueuePrefix } from "@jobstream/testing";

export interface FairTagCost {
  /** Redis time of handing out tags, per job, for batches of 1,000 jobs over 10 orgs (µs). */
  readonly microsPerJob: number;
  /** One rebase with `queued` jobs in the queue (ms), and the jobs it shifted. */
  readonly rebaseMs: number;
  readonly queued: number;
}

/** The fair-share script alone, against Redis: its cost per job and the cost of a rebase. */
export async function runFairTagCost(queued: number): Promise<FairTagCost> {
  const prefix = testQueuePrefix();
  const redis = new Redis(testEnv.redisUrl);
  const fair = new FairShare(redis, keysFor(prefix, false));
  const queue = new Queue("fair-bench", { connection: redis, prefix });
  try {
    const batch = () =>
      Array.from({ length: 1000 }, (_, i) => ({
        id: randomUUID(),
        type: "fair-bench",
        orgId: `org-${i % 10}`,
        priority: 50,
      }));
    await fair.priorities(batch());
    const rounds = 50;
    const started = performance.now();
    for (let r = 0; r < rounds; r++) await fair.priorities(batch());
    const microsPerJob = ((performance.now() - started) * 1000) / (rounds * 1000);

    // `queued` jobs waiting half-way to BullMQ's limit (as after a million tags), then an org far
    // ahead whose next tag passes it: every queued job is shifted once.
    const state = fairShareKeys.state(prefix, "fair-bench");
    await redis.hset(state, "b", 0, "v", Math.floor(BULL_PRIORITY_LIMIT / 2));
    for (let sent = 0; sent < queued; sent += 1000) {
      const jobs = batch();
      const tags = await fair.priorities(jobs);
      await queue.addBulk(jobs.map((j) => ({ name: "x", data: {}, opts: { jobId: j.id, priority: tags.get(j.id) } })));
    }
    await redis.hset(fairShareKeys.org(prefix, "fair-bench", "org-far"), "50", BULL_PRIORITY_LIMIT);
    const before = performance.now();
    await fair.priorities([{ id: randomUUID(), type: "fair-bench", orgId: "org-far", priority: 50 }]);
    const rebaseMs = performance.now() - before;
    if (Number(await redis.hget(state, "b")) === 0) throw new Error("the rebase did not happen");
    return { microsPerJob, rebaseMs, queued };
  } finally {
    await queue.close();
    await deletePrefix(prefix);
    redis.disconnect();
  }
}
