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
import { cpuMicrosPerJob, median } from "./measure";
import { runApiLatency, type ApiLatencyResult, type LatencyResult } from "./api-latency";
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

/** Several figures of one row, as the table shows them (`a / b / c`). */
const slashed = (...values: unknown[]) => values.map(String).join(" / ");

const wants = (part: string) => only === undefined || only === part;
// The pipeline's Postgres statements alone (no HTTP, Redis or handlers): an upper bound for it here.
const dbFloor = pipelines.length > 0 || only === "dbfloor" ? await runDbFloor(n, items) : null;
if (dbFloor) console.log(`db floor: ${dbFloor.jobsPerSec.toFixed(0)} jobs/s`);
// Memory should not grow with the number of jobs: the same pipeline once more with 2N.
const doubled =
  pipelines.length > 0 && !process.argv.includes("--no-double") ? await runPipeline(2 * n, items, concurrency) : null;
if (doubled)
  console.log(
    `2N = ${2 * n}: ${doubled.jobsPerSec.toFixed(0)} jobs/s, ` +
      `worker ${doubled.workerPeakMb} MB, mirror ${doubled.mirrorPeakMb} MB`,
  );
const mirrorLag = wants("lag")
  ? await runMirrorLag(Number(option("rate") ?? (quick ? 500 : 2000)), quick ? 5 : 30)
  : null;
if (mirrorLag)
  console.log(
    `mirror lag at ${mirrorLag.targetJobsPerSec} jobs/s: ` +
      `p50 ${mirrorLag.p50Ms.toFixed(1)} ms, p99 ${mirrorLag.p99Ms.toFixed(1)} ms`,
  );
const itemRate = wants("items") ? await runItemRate(quick ? 20_000 : 100_000) : null;
if (itemRate) console.log(`items: ${itemRate.items} in ${itemRate.seconds.toFixed(2)} s`);
const api = wants("api") ? await runApiLatency(apiRows, quick ? 5 : 10, apiProcesses) : null;
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
  const run = await runMirrorShards(n, items, mirrors, shardCount);
  mirrorShards.push(run);
  console.log(
    `shards: ${mirrors} mirror(s) on ${shardCount} shards drained ${run.entries} entries (${n} jobs) ` +
      `in ${run.seconds.toFixed(2)} s: ${run.jobsPerSec.toFixed(0)} jobs/s; entries per mirror ${run.perMirror.join(" / ")}`,
  );
}

// The operator console's searches and time series on the same number of rows, spread over 30 days.
const consoleReads = wants("console") ? await runConsoleReads(apiRows, quick ? 50 : 200) : null;
if (consoleReads)
  console.log(
    `console: ${consoleReads.rows} rows seeded in ${consoleReads.seedSeconds.toFixed(0)} s, ` +
      `rollups recounted in ${consoleReads.rollupSeconds.toFixed(0)} s`,
  );
// job_events partitioned by day against the table it replaced: inserts, and retention by DELETE vs DROP.
const history = wants("history") ? await runHistory(quick ? 5000 : 20_000) : null;
if (history) console.log(`history: ${history.events} events of ${history.jobs} jobs per layout`);

// Fair share between orgs: B's wait behind A's backlog (on and off) and its throughput cost.
const fairness = wants("fairness")
  ? await runFairness({ backlog: quick ? 2000 : 4000, durationMs: 200, concurrency: 50, n, items })
  : null;

// Bytes per job in Redis (waiting, finished) and Postgres: the storage side of docs/scaling.md.
const footprint = wants("footprint") ? await runFootprint(quick ? 2000 : 10_000, items) : null;
if (footprint) console.log(`footprint: ${JSON.stringify(footprint)}`);

/** Each process group's core-µs per job (API, worker, mirror, Postgres, Redis, …), medians over rounds. */
function cpuByProcess(runs: readonly PipelineResult[], jobs: number): Record<string, number> {
  const groups = new Set(runs.flatMap((r) => Object.keys(r.cpuPercent)).filter((g) => g !== "machine"));
  return Object.fromEntries(
    [...groups].map((g) => [
      g,
      Math.round(median(runs.map((r) => (((r.cpuPercent[g] ?? 0) / 100) * r.seconds * 1e6) / jobs))),
    ]),
  );
}
const jobCpuUs = median(pipelines.map((p) => cpuMicrosPerJob(p, n)));
const rawCpuUs = median(raws.map((r) => cpuMicrosPerJob(r, n)));

const jobsPerSec = median(pipelines.map((p) => p.jobsPerSec));
const rawJobsPerSec = median(raws.map((r) => r.jobsPerSec));
const result = {
  at: new Date().toISOString(),
  machine: { cpus: (await import("node:os")).cpus().length, node: process.version },
  settings: { n, itemsPerJob: items, concurrency, rounds },
  pipeline: {
    jobsPerSec,
    rawJobsPerSec,
    ratio: jobsPerSec / rawJobsPerSec,
    rounds: pipelines,
    rawRounds: raws,
    dbFloorJobsPerSec: dbFloor?.jobsPerSec ?? null,
    cpuMicrosPerJob: jobCpuUs,
    rawCpuMicrosPerJob: rawCpuUs,
    ratioBoundByCpu: rawCpuUs / jobCpuUs,
    // The capacity model's input (docs/scaling.md): core-µs per job of each process group, medians.
    cpuMicrosPerJobByProcess: cpuByProcess(pipelines, n),
    ofDbFloor: dbFloor === null ? null : jobsPerSec / dbFloor.jobsPerSec,
  },
  mirrorLag: mirrorLag && {
    p50Ms: mirrorLag.p50Ms,
    p99Ms: mirrorLag.p99Ms,
    maxMs: mirrorLag.maxMs,
    targetJobsPerSec: mirrorLag.targetJobsPerSec,
    seconds: mirrorLag.seconds,
    jobs: mirrorLag.jobs,
  },
  items: itemRate && {
    perSec: itemRate.perSec,
    items: itemRate.items,
    seconds: itemRate.seconds,
    cpuPercent: itemRate.cpuPercent,
  },
  api: api && {
    rows: api.rows,
    jobP50Ms: api.job.p50Ms,
    jobP99Ms: api.job.p99Ms,
    jobRequestsPerSec: api.job.requestsPerSec,
    activeP50Ms: api.active.p50Ms,
    activeP99Ms: api.active.p99Ms,
    activeRequestsPerSec: api.active.requestsPerSec,
    floorP50Ms: api.floor.p50Ms,
    floorP99Ms: api.floor.p99Ms,
    floorRequestsPerSec: api.floor.requestsPerSec,
    // Like with like: the API and the floor with as many processes each, the configured count
    // (API_PROCESSES=auto, what this machine would run) when there is more than one.
    jobVsFloor: (api.clustered?.job ?? api.job).requestsPerSec / (api.clustered?.floor ?? api.floor).requestsPerSec,
    jobVsFloorOneProcess: api.job.requestsPerSec / api.floor.requestsPerSec,
    processes: api.processes,
    clustered: api.clustered && {
      jobP50Ms: api.clustered.job.p50Ms,
      jobP99Ms: api.clustered.job.p99Ms,
      jobRequestsPerSec: api.clustered.job.requestsPerSec,
      floorP50Ms: api.clustered.floor.p50Ms,
      floorP99Ms: api.clustered.floor.p99Ms,
      floorRequestsPerSec: api.clustered.floor.requestsPerSec,
    },
    /** Server CPU time per answered request (core-µs): steadier than requests/s on a busy machine. */
    serverCpuUsPerRequest: Object.fromEntries(serverRuns(api).map(([run, r]) => [run, cpuUsPerRequest(r)])),
    errors: serverRuns(api).reduce((sum, [, r]) => sum + r.errors, 0),
    non2xx: serverRuns(api).reduce((sum, [, r]) => sum + r.non2xx, 0),
    cpuPercent: Object.fromEntries(serverRuns(api).map(([run, r]) => [run, r.cpuPercent])),
  },
  peers: withPeers ? peersOf(peerRuns, jobsPerSec) : null,
  console: consoleReads,
  history,
  footprint,
  mirrorShards,
  fairness,
  memory: memoryOf(pipelines, raws, doubled),
};

/** Each load of the API run by name: `job`, `active`, `floor`, and `jobN` / `floorN` at N processes. */
function serverRuns(run: ApiLatencyResult): [string, LatencyResult][] {
  const runs: [string, LatencyResult][] = [
    ["job", run.job],
    ["active", run.active],
    ["floor", run.floor],
  ];
  if (run.clustered)
    runs.push([`job${run.processes}`, run.clustered.job], [`floor${run.processes}`, run.clustered.floor]);
  return runs;
}

function cpuUsPerRequest(run: LatencyResult): number {
  return run.requestsPerSec === 0 ? 0 : Math.round(((run.cpuPercent.server ?? 0) * 10_000) / run.requestsPerSec);
}

/** Each peer's medians and Jobstream ÷ peer (jobs/s of the same run; above 1 means Jobstream is faster). */
function peersOf(runs: Record<string, readonly PeerResult[]>, jobstreamJobsPerSec: number) {
  return Object.fromEntries(
    Object.entries(runs).map(([name, list]) => {
      const peerJobsPerSec = median(list.map((r) => r.jobsPerSec));
      return [
        name,
        {
          jobsPerSec: peerJobsPerSec,
          cpuMicrosPerJob: median(list.map((r) => cpuMicrosPerJob(r, n))),
          jobstreamOverPeer: jobstreamJobsPerSec / peerJobsPerSec,
          rounds: list,
        },
      ];
    }),
  );
}

function memoryOf(runs: readonly PipelineResult[], rawRuns: readonly RawResult[], double: PipelineResult | null) {
  const peak = (values: (number | null)[]) => Math.max(0, ...values.map((v) => v ?? 0));
  const workerPeakMb = peak(runs.map((p) => p.workerPeakMb));
  const mirrorPeakMb = peak(runs.map((p) => p.mirrorPeakMb));
  return {
    workerPeakMb,
    mirrorPeakMb,
    rawWorkerPeakMb: peak(rawRuns.map((r) => r.workerPeakMb)),
    // Peak at 2N over peak at N: near 1 means memory does not grow with the number of jobs.
    doubled: double && {
      n: 2 * n,
      workerPeakMb: double.workerPeakMb,
      mirrorPeakMb: double.mirrorPeakMb,
      // null when /proc could not be read (a process gone before its peak was taken).
      workerGrowth: double.workerPeakMb === null || workerPeakMb === 0 ? null : double.workerPeakMb / workerPeakMb,
      mirrorGrowth: double.mirrorPeakMb === null || mirrorPeakMb === 0 ? null : double.mirrorPeakMb / mirrorPeakMb,
    },
  };
}

console.log("\nJobstream bench");
console.table({
  ...(pipelines.length > 0
    ? {
        "raw BullMQ (jobs/s)": rawJobsPerSec.toFixed(0),
        "Jobstream pipeline (jobs/s)": jobsPerSec.toFixed(0),
        ratio: result.pipeline.ratio.toFixed(3),
        "API enqueue (jobs/s)": median(pipelines.map((p) => p.enqueuePerSec)).toFixed(0),
        "db floor: the pipeline's SQL alone (jobs/s)": result.pipeline.dbFloorJobsPerSec?.toFixed(0) ?? "—",
        "pipeline ÷ db floor": result.pipeline.ofDbFloor?.toFixed(3) ?? "—",
        "CPU per job, own processes (core-µs): raw / Jobstream": `${rawCpuUs.toFixed(0)} / ${jobCpuUs.toFixed(0)}`,
        "ratio bound by CPU per job (raw ÷ Jobstream)": (rawCpuUs / jobCpuUs).toFixed(3),
        "worker (role work) peak RSS (MB)": result.memory.workerPeakMb,
        "mirror (roles mirror, housekeep) peak RSS (MB)": result.memory.mirrorPeakMb,
        "raw worker peak RSS (MB)": result.memory.rawWorkerPeakMb,
        ...(result.memory.doubled
          ? {
              [`peak RSS at 2N = ${result.memory.doubled.n} ÷ at N: worker / mirror`]: slashed(
                result.memory.doubled.workerGrowth?.toFixed(2) ?? "?",
                result.memory.doubled.mirrorGrowth?.toFixed(2) ?? "?",
              ),
            }
          : {}),
        "CPU % in the pipeline (api / worker / mirror / postgres / redis / whole machine)": (() => {
          const cpu = pipelines.at(-1)?.cpuPercent ?? {};
          return slashed(cpu.api, cpu.worker, cpu.mirror, cpu.postgres, cpu.redis, cpu.machine);
        })(),
      }
    : {}),
  ...(result.mirrorLag
    ? {
        [`mirror lag at ${result.mirrorLag.targetJobsPerSec} jobs/s for ${result.mirrorLag.seconds} s: ` +
        "p50 / p99 / max (ms)"]: slashed(
          result.mirrorLag.p50Ms.toFixed(1),
          result.mirrorLag.p99Ms.toFixed(1),
          result.mirrorLag.maxMs.toFixed(0),
        ),
      }
    : {}),
  ...(result.items
    ? {
        [`item rate, one job with ${result.items.items} items (items/s)`]: result.items.perSec.toFixed(0),
        "CPU % during the items (worker / postgres / redis / whole machine)": slashed(
          result.items.cpuPercent.worker,
          result.items.cpuPercent.postgres,
          result.items.cpuPercent.redis,
          result.items.cpuPercent.machine,
        ),
      }
    : {}),
  ...(result.api
    ? {
        [`GET /v1/jobs/:id p50 / p99 (ms), ${result.api.rows} rows`]: `${result.api.jobP50Ms} / ${result.api.jobP99Ms}`,
        "GET /v1/jobs/:id req/s": result.api.jobRequestsPerSec.toFixed(0),
        "GET /v1/jobs/active p50 / p99 (ms)": `${result.api.activeP50Ms} / ${result.api.activeP99Ms}`,
        "GET /v1/jobs/active req/s": result.api.activeRequestsPerSec.toFixed(0),
        "floor (node:http + pg, same by-id SQL) p50 / p99 (ms)": `${result.api.floorP50Ms} / ${result.api.floorP99Ms}`,
        "floor req/s": result.api.floorRequestsPerSec.toFixed(0),
        "GET /v1/jobs/:id req/s ÷ floor req/s, 1 process each": result.api.jobVsFloorOneProcess.toFixed(3),
        ...(result.api.clustered
          ? {
              [`${result.api.processes} processes each: GET /v1/jobs/:id p50 / p99 (ms), req/s`]:
                `${result.api.clustered.jobP50Ms} / ${result.api.clustered.jobP99Ms}, ` +
                result.api.clustered.jobRequestsPerSec.toFixed(0),
              [`${result.api.processes} processes each: floor p50 / p99 (ms), req/s`]:
                `${result.api.clustered.floorP50Ms} / ${result.api.clustered.floorP99Ms}, ` +
                result.api.clustered.floorRequestsPerSec.toFixed(0),
            }
          : {}),
        "api.jobVsFloor (like with like, the configured processes)": result.api.jobVsFloor.toFixed(3),
        ...Object.fromEntries(
          Object.entries(result.api.cpuPercent).map(([run, cpu]) => [
            `CPU % during ${run} (server / postgres / redis / autocannon / whole machine)`,
            `${cpu.server} / ${cpu.postgres} / ${cpu.redis} / ${cpu.self} / ${cpu.machine}`,
          ]),
        ),
        "server CPU per request (core-µs)": Object.entries(result.api.serverCpuUsPerRequest)
          .map(([run, us]) => `${run} ${us}`)
          .join(", "),
        "API errors / non-2xx": `${result.api.errors} / ${result.api.non2xx}`,
      }
    : {}),
  ...(history
    ? {
        [`job_events insert, ${history.events} events (events/s): one table / partitioned`]: slashed(
          history.insertPerSec.flat.toFixed(0),
          history.insertPerSec.partitioned.toFixed(0),
        ),
        [`retention of ${history.events} events (ms): DELETE / DROP partition`]: slashed(
          history.retentionMs.deleteEvents.toFixed(0),
          history.retentionMs.dropPartition.toFixed(0),
        ),
        [`sweep of ${history.jobs} jobs before (ms): events / items / jobs`]: slashed(
          ...Object.values(history.sweepMs.before).map((ms) => ms.toFixed(0)),
        ),
        [`sweep of ${history.jobs} jobs now (ms): items / jobs / events' partition`]: slashed(
          ...Object.values(history.sweepMs.after).map((ms) => ms.toFixed(0)),
        ),
      }
    : {}),
  ...(result.peers
    ? Object.fromEntries(
        Object.entries(result.peers).flatMap(([name, peer]) => [
          [
            `peer ${name} (jobs/s; CPU per job core-µs)`,
            slashed(peer.jobsPerSec.toFixed(0), peer.cpuMicrosPerJob.toFixed(0)),
          ],
          [`Jobstream ÷ ${name}`, peer.jobstreamOverPeer.toFixed(2)],
        ]),
      )
    : {}),
  ...(footprint
    ? {
        [`Redis bytes per job, ${footprint.jobs} jobs: waiting / after completion`]: slashed(
          footprint.redisBytesPerWaitingJob,
          footprint.redisBytesPerFinishedJob,
        ),
        "Postgres bytes per job (jobs / job_items / job_events; WAL)": slashed(
          footprint.postgresBytesPerJob.jobs,
          footprint.postgresBytesPerJob.job_items,
          footprint.postgresBytesPerJob.job_events,
          `${footprint.walBytesPerJob} WAL`,
        ),
      }
    : {}),
  ...Object.fromEntries(
    mirrorShards.flatMap((run) => [
      [`mirror drain, ${run.mirrors} mirror process(es), ${run.shards} shards (jobs/s)`, run.jobsPerSec.toFixed(0)],
      [
        `  ${run.mirrors} mirror(s): entries applied by each / CPU % (mirrors / postgres / redis / whole machine)`,
        `${run.perMirror.join(" + ")} / ` +
          slashed(run.cpuPercent.mirrors, run.cpuPercent.postgres, run.cpuPercent.redis, run.cpuPercent.machine),
      ],
    ]),
  ),
  ...(fairness
    ? {
        ...Object.fromEntries(
          fairness.waits.map((w) => [
            `B's wait behind A's ${fairness.backlog} × ${fairness.durationMs} ms, concurrency ${fairness.concurrency}, ` +
              `fair share ${w.fairShare ? "on" : "off"}: ms to B's last start (A's jobs started by then / after B's enqueue)`,
            `${w.bWaitMs} (${w.aStartedBefore} / ${w.aStartedMeanwhile})`,
          ]),
        ),
        "pipeline with fair share on / off / on with a per-org cap (jobs/s)": slashed(
          fairness.jobsPerSec.on.toFixed(0),
          fairness.jobsPerSec.off.toFixed(0),
          fairness.jobsPerSec.capped.toFixed(0),
        ),
        "CPU per job, own processes, fair share on / off / on with a per-org cap (core-µs)": slashed(
          fairness.cpuMicrosPerJob.on.toFixed(0),
          fairness.cpuMicrosPerJob.off.toFixed(0),
          fairness.cpuMicrosPerJob.capped.toFixed(0),
        ),
        "fair-share tags in Redis (µs per job, batches of 1,000)": fairness.tags.microsPerJob.toFixed(1),
        [`rebase with ${fairness.tags.queued} jobs queued (ms)`]: fairness.tags.rebaseMs.toFixed(0),
      }
    : {}),
  ...(consoleReads
    ? Object.fromEntries(
        consoleReads.reads.map((r) => [
          `${r.name}, ${consoleReads.rows} rows: p50 / p99 (ms)`,
          `${r.p50Ms.toFixed(1)} / ${r.p99Ms.toFixed(1)}`,
        ]),
      )
    : {}),
});
const dir = fileURLToPath(new URL("../results/", import.meta.url));
await mkdir(dir, { recursive: true });
const json = `${JSON.stringify(result, null, 2)}\n`;
await writeFile(`${dir}latest.json`, json);
await writeFile(`${dir}${result.at.replace(/[:.]/g, "-")}.json`, json);
console.log(`wrote bench/results/latest.json`);
process.exit(0);
