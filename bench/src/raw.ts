import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { deletePrefix, testEnv, testQueuePrefix, waitFor } from "@jobstream/testing";
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
  const dir = fileURLToPath(new URL("..", import.meta.url));
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "src/raw-worker.ts", testEnv.redisUrl, prefix, String(concurrency)],
    { cwd: dir, stdio: ["ignore", "pipe", "inherit"] },
  );
  await new Promise<void>((resolve) => {
    child.stdout.on("data", (c: Buffer) => {
      if (c.toString().includes("raw worker ready")) resolve();
    });
  });
  const connection = new Redis(testEnv.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue("synthetic", { connection, prefix });
  try {
    const started = performance.now();
    const groups = {
      worker: () => (child.pid === undefined ? [] : [child.pid]),
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
    child.kill("SIGTERM");
    await once(child, "exit");
    await queue.close();
    connection.disconnect();
    await deletePrefix(prefix);
  }
}
