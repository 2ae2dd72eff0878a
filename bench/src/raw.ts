import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { deletePrefix, testEnv, testQueuePrefix, waitFor } from "@jobstream/testing";
import { pidsOf, startBenchChild, stopBenchChild } from "./child";
import { measureCpu, processGroups } from "./cpu";
import { peakRssMb } from "./measure";

export interface RawResult {
  readonly jobsPerSec: number;
  readonly seconds: number;
  readonly workerPeakMb: number | null;
  /** CPU used from the first add to the last completion, in % of one core (see measureCpu). */
  readonly cpuPercent: Record<string, number>;
}

/** The same N jobs through bare BullMQ: addBulk by 1,000, one worker process, same concurrency. */
export async function runRaw(n: number, items: number, concurrency: number): Promise<RawResult> {
  const prefix = testQueuePrefix();
  const child = await startBenchChild(
    "raw-worker.ts",
    [testEnv.redisUrl, prefix, String(concurrency)],
    "raw worker ready",
  );
  const connection = new Redis(testEnv.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue("synthetic", { connection, prefix });
  try {
    const started = performance.now();
    const groups = {
      worker: pidsOf(child),
      redis: processGroups.redis,
      self: processGroups.self,
    };
    const { cpuPercent } = await measureCpu(groups, async () => {
      for (let sent = 0; sent < n; sent += 1000) {
        const size = Math.min(1000, n - sent);
        await queue.addBulk(
          Array.from({ length: size }, () => ({
            name: "noop",
            data: { type: "synthetic", subtype: "noop", input: { items } },
          })),
        );
      }
      await waitFor(
        "raw jobs completed",
        async () => (((await queue.getJobCounts("completed")).completed ?? 0) >= n ? true : undefined),
        { timeoutMs: 600_000, intervalMs: 20 },
      );
    });
    const seconds = (performance.now() - started) / 1000;
    const workerPeakMb = peakRssMb(child.pid);
    return { jobsPerSec: n / seconds, seconds, workerPeakMb, cpuPercent };
  } finally {
    await stopBenchChild(child);
    await queue.close();
    connection.disconnect();
    await deletePrefix(prefix);
  }
}
