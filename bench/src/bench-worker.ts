import type { Worker } from "bullmq";
import type { Redis } from "ioredis";

/**
 * The plumbing of a bench-side BullMQ worker process: errors logged, a clean close on SIGTERM, and
 * the `ready` line the parent waits for (startBenchChild).
 */
export function runBenchWorker(worker: Worker, connection: Redis, ready: string): void {
  worker.on("error", (error) => {
    console.error(error);
  });
  process.on("SIGTERM", () => {
    void worker
      .close()
      .then(() => connection.quit())
      .then(() => process.exit(0));
  });
  console.log(JSON.stringify({ msg: ready }));
}
