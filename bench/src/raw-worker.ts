// Bare BullMQ baseline: the same queue, jobs and concurrency, no Jobstream around it.
import { Worker } from "bullmq";
import { Redis } from "ioredis";
import { runBenchWorker } from "./bench-worker";

const [url, prefix, concurrency] = process.argv.slice(2);
const connection = new Redis(url ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: null });
const worker = new Worker(
  "synthetic",
  (job) => Promise.resolve({ items: (job.data as { input?: { items?: number } }).input?.items ?? 0 }),
  {
    connection,
    prefix,
    concurrency: Number(concurrency ?? 50),
  },
);
runBenchWorker(worker, connection, "raw worker ready");
