// `pnpm bench`: Jobstream's full pipeline against bare BullMQ, measured in one run.
//   pnpm bench            N = 20,000 jobs, 10 items each, 3 alternating rounds, then 2N once (memory)
//   pnpm bench --quick    N = 2,000, 1 round
//   pnpm bench --n 5000 --rounds 3
//   pnpm bench --only api   (or pipeline, peers, lag, items, dbfloor, console, footprint, history, shards,
//   fairness) runs one part; --rate sets the lag run's jobs/s
//   --api-processes N|auto  API processes (and floor processes) of the API run's second by-id load (default 1: none)
//   pnpm bench --only shards --shards 4   mirror throughput with 1 and 2 mirror processes on one queue of 4 shards
import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { runApiLatency } from "./api-latency";
import { runConsoleReads } from "./console-reads";
import { runDbFloor } from "./db-floor";
import { runFairness } from "./fairness";
import { runHistory } from "./history";
import { runFootprint } from "./footprint";
import { runItemRate, runMirrorLag } from "./mirror-lag";
import { runMirrorShards } from "./mirror-shards";
import { runPipeline, type PipelineResult } from "./pipeline";
import { runBullmqPrisma, runPgBoss, type PeerResult } from "./peers/run-peers";
import { runRaw, type RawResult } from "./raw";
import { benchResult } from "./result";
import { printTable } from "./table";

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const quick = process.argv.includes("--quick");
const n = Number(option("n") ?? (quick ? 2000 : 20_000));
const rounds = Number(option("rounds") ?? (quick ? 1 : 3));
const items = 10;
const concurrency = 50;
const only = option("only");
const apiRows = Number(option("rows") ?? (quick ? 100_000 : 1_000_000));
// 1 by default: the second, clustered load's floor did not start listening inside the bench on this
// machine (session 6, unexplained); `--api-processes auto` runs it.
const apiProcessesOption = option("api-processes") ?? "1";
const apiProcesses = apiProcessesOption === "auto" ? availableParallelism() : Number(apiProcessesOption);

const pipelines: PipelineResult[] = [];
const raws: RawResult[] = [];
// Peers (pg-boss; BullMQ with a hand-written QueueEvents → Prisma mirror) do the same work in each round.
const withPeers = only === undefined || only === "peers";
const peerRuns: Record<"pgBoss" | "bullmqPrisma", PeerResult[]> = { pgBoss: [], bullmqPrisma: [] };
for (let round = 1; round <= (only === undefined || only === "pipeline" || withPeers ? rounds : 0); round++) {
  // Alternate the order so neither side always runs on a warmer machine.
  if (round % 2 === 1) {
    raws.push(await runRaw(n, items, concurrency));
    pipelines.push(await runPipeline(n, items, concurrency));
  } else {
    pipelines.push(await runPipeline(n, items, concurrency));
    raws.push(await runRaw(n, items, concurrency));
  }
  if (withPeers) {
    peerRuns.pgBoss.push(await runPgBoss(n, items, concurrency));
    peerRuns.bullmqPrisma.push(await runBullmqPrisma(n, items, concurrency));
  }
  console.log(
    `round ${round}: raw ${raws.at(-1)?.jobsPerSec.toFixed(0)} jobs/s, ` +
      `jobstream ${pipelines.at(-1)?.jobsPerSec.toFixed(0)} jobs/s` +
      (withPeers
        ? `, pg-boss ${peerRuns.pgBoss.at(-1)?.jobsPerSec.toFixed(0)}, ` +
          `bullmq+prisma ${peerRuns.bullmqPrisma.at(-1)?.jobsPerSec.toFixed(0)} jobs/s`
        : ""),
  );
}

const wants = (name: string) => only === undefined || only === name;
// A part that fails is reported and recorded (`failures` in latest.json) and the run goes on, so the
// figures of the other parts are kept; the run then exits with 1.
const failures: Record<string, string> = {};
async function part<T>(name: string, run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (error) {
    console.error(`bench part ${name} failed:`, error);
    failures[name] = error instanceof Error ? error.message : String(error);
    return null;
  }
}
// The pipeline's Postgres statements alone (no HTTP, Redis or handlers): an upper bound for it here.
const dbFloor = pipelines.length > 0 || only === "dbfloor" ? await part("dbfloor", () => runDbFloor(n, items)) : null;
if (dbFloor) console.log(`db floor: ${dbFloor.jobsPerSec.toFixed(0)} jobs/s`);
// Memory should not grow with the number of jobs: the same pipeline once more with 2N.
const doubled =
  pipelines.length > 0 && !process.argv.includes("--no-double")
    ? await part("double", () => runPipeline(2 * n, items, concurrency))
    : null;
if (doubled)
  console.log(
    `2N = ${2 * n}: ${doubled.jobsPerSec.toFixed(0)} jobs/s, ` +
      `worker ${doubled.workerPeakMb} MB, mirror ${doubled.mirrorPeakMb} MB; ` +
      `held after a full GC: worker ${doubled.workerRetainedMb} MB, mirror ${doubled.mirrorRetainedMb} MB`,
  );
const mirrorLag = wants("lag")
  ? await part("lag", () => runMirrorLag(Number(option("rate") ?? (quick ? 500 : 2000)), quick ? 5 : 30))
  : null;
if (mirrorLag)
  console.log(
    `mirror lag at ${mirrorLag.targetJobsPerSec} jobs/s: ` +
      `p50 ${mirrorLag.p50Ms.toFixed(1)} ms, p99 ${mirrorLag.p99Ms.toFixed(1)} ms`,
  );
const itemRate = wants("items") ? await part("items", () => runItemRate(quick ? 20_000 : 100_000)) : null;
if (itemRate) console.log(`items: ${itemRate.items} in ${itemRate.seconds.toFixed(2)} s`);
const api = wants("api") ? await part("api", () => runApiLatency(apiRows, quick ? 5 : 10, apiProcesses)) : null;
if (api)
  console.log(
    `api: ${api.rows} rows seeded in ${api.seedSeconds.toFixed(0)} s; status codes ` +
      [api.job.statusCodes, api.active.statusCodes].map((c) => JSON.stringify(c)).join(" ") +
      ` floor ${JSON.stringify(api.floor.statusCodes)}`,
  );

// One hot queue split over shards: mirror throughput draining a backlog with one and with two mirror processes.
const shardCount = Number(option("shards") ?? 4);
const mirrorShards = [];
for (const mirrors of wants("shards") ? [1, 2] : []) {
  const run = await part(`shards${String(mirrors)}`, () => runMirrorShards(n, items, mirrors, shardCount));
  if (run === null) continue;
  mirrorShards.push(run);
  console.log(
    `shards: ${mirrors} mirror(s) on ${shardCount} shards drained ${run.entries} entries (${n} jobs) ` +
      `in ${run.seconds.toFixed(2)} s: ${run.jobsPerSec.toFixed(0)} jobs/s; entries per mirror ${run.perMirror.join(" / ")}`,
  );
}

// The operator console's searches and time series on the same number of rows, spread over 30 days.
const consoleReads = wants("console") ? await part("console", () => runConsoleReads(apiRows, quick ? 50 : 200)) : null;
if (consoleReads)
  console.log(
    `console: ${consoleReads.rows} rows seeded in ${consoleReads.seedSeconds.toFixed(0)} s, ` +
      `rollups recounted in ${consoleReads.rollupSeconds.toFixed(0)} s`,
  );
// job_events partitioned by day against the table it replaced: inserts, and retention by DELETE vs DROP.
const history = wants("history") ? await part("history", () => runHistory(quick ? 5000 : 20_000)) : null;
if (history) console.log(`history: ${history.events} events of ${history.jobs} jobs per layout`);

// Fair share between orgs: B's wait behind A's backlog (on and off) and its throughput cost.
const fairness = wants("fairness")
  ? await part("fairness", () =>
      runFairness({ backlog: quick ? 2000 : 4000, durationMs: 200, concurrency: 50, n, items }),
    )
  : null;

// Bytes per job in Redis (waiting, finished) and Postgres: the storage side of docs/scaling.md.
const footprint = wants("footprint") ? await part("footprint", () => runFootprint(quick ? 2000 : 10_000, items)) : null;
if (footprint) console.log(`footprint: ${JSON.stringify(footprint)}`);

const result = benchResult({
  n,
  items,
  concurrency,
  rounds,
  pipelines,
  raws,
  dbFloor,
  doubled,
  mirrorLag,
  itemRate,
  api,
  peerRuns: withPeers ? peerRuns : null,
  consoleReads,
  history,
  footprint,
  mirrorShards,
  fairness,
  failures,
});
printTable(result, pipelines);
const dir = fileURLToPath(new URL("../results/", import.meta.url));
await mkdir(dir, { recursive: true });
const json = `${JSON.stringify(result, null, 2)}\n`;
await writeFile(`${dir}latest.json`, json);
await writeFile(`${dir}${result.at.replace(/[:.]/g, "-")}.json`, json);
console.log(`wrote bench/results/latest.json`);
if (Object.keys(failures).length > 0) console.error(`bench parts failed: ${Object.keys(failures).join(", ")}`);
process.exit(Object.keys(failures).length > 0 ? 1 : 0);
