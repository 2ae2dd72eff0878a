// BullMQ peer: a plain worker whose handler returns the item outcomes (its mirror stores them).
import { Worker } from "bullmq";
import { Redis } from "ioredis";
import { runBenchWorker } from "../bench-worker";
import { itemRefs } from "./peer-sql";

const [url, prefix, concurrency] = process.argv.slice(2);
const connection = new Redis(url ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: null });
const worker = new Worker(
  "peer",
  (job) => Promise.resolve({ items: itemRefs((job.data as { items: number }).items) }),
  { connection, prefix, concurrency: Number(concurrency ?? 50) },
);
runBenchWorker(worker, connection, "peer worker ready");
