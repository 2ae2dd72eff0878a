// pg-boss peer: a worker process that runs each job and writes its row, timeline and items itself.
import PgBoss from "pg-boss";
import pg from "pg";
import { COMPLETE_SQL, ITEMS_SQL, START_SQL, itemRefs } from "./peer-sql";

const [url, concurrency] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, max: 10 });
const boss = new PgBoss({ connectionString: url, max: 4, supervise: false, schedule: false, migrate: false });
boss.on("error", (error) => {
  console.error(error);
});
await boss.start();

interface PeerData {
  readonly items: number;
}

// pg-boss's fetch loop waits out its polling interval (0.5 s at least) after every batch, which
// would cap it at batchSize / 0.5 s (100 jobs/s at 50). A worker told of more work skips that
// wait (`notifyWorker`, what pg-boss does itself when `send` runs in the worker's process): after
// each full batch it fetches again at once, so pg-boss runs as fast as its queries allow.
const batchSize = Number(concurrency ?? 50);
let workerId = "";
workerId = await boss.work<PeerData>(
  "peer",
  { batchSize, pollingIntervalSeconds: 0.5 },
  // pg-boss hands out a batch; its jobs run side by side, like a worker at that concurrency.
  async (jobs) => {
    await Promise.all(
      jobs.map(async (job) => {
        await pool.query(START_SQL, [job.id]);
        await pool.query(ITEMS_SQL, [job.id, itemRefs(job.data.items)]);
        await pool.query(COMPLETE_SQL, [job.id, JSON.stringify({ items: job.data.items })]);
      }),
    );
    if (jobs.length === batchSize) boss.notifyWorker(workerId);
  },
);
process.on("SIGTERM", () => {
  void boss
    .stop({ graceful: false, wait: true })
    .then(() => pool.end())
    .then(() => process.exit(0));
});
console.log(JSON.stringify({ msg: "peer worker ready" }));
