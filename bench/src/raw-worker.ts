// Bare BullMQ baseline: the same queue, jobs and concurrency, no Jobstream around it.
import { Worker } from "bullmq";
import { Redis } from "ioredis";

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
worker.on("error", (error) => {
  console.error(error);
});
process.on("SIGTERM", () => {
  void worker
    .close()
    .then(() => connection.quit())
    .then(() => process.exit(0));
});
console.log(JSON.stringify({ msg: "raw worker ready" }));
