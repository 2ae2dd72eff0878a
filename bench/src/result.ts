// The figures of one `pnpm bench` run as latest.json holds them: medians over rounds, ratios of one run.
import { cpus } from "node:os";
import type { ApiLatencyResult, LatencyResult } from "./api-latency";
import type { ConsoleReadsResult } from "./console-reads";
import type { DbFloorResult } from "./db-floor";
import type { FairnessResult } from "./fairness";
import type { FootprintResult } from "./footprint";
import type { HistoryResult } from "./history";
import { cpuMicrosPerJob, median } from "./measure";
import type { ItemRateResult, MirrorLagResult } from "./mirror-lag";
import type { MirrorShardsRun } from "./mirror-shards";
import type { PeerResult } from "./peers/run-peers";
import type { PipelineResult } from "./pipeline";
import type { RawResult } from "./raw";

/** What each part of the run measured (null or empty: the part did not run). */
export interface BenchParts {
  readonly n: number;
  readonly items: number;
  readonly concurrency: number;
  readonly rounds: number;
  readonly pipelines: readonly PipelineResult[];
  readonly raws: readonly RawResult[];
  readonly dbFloor: DbFloorResult | null;
  readonly doubled: PipelineResult | null;
  readonly mirrorLag: MirrorLagResult | null;
  readonly itemRate: ItemRateResult | null;
  readonly api: ApiLatencyResult | null;
  readonly peerRuns: Record<string, readonly PeerResult[]> | null;
  readonly consoleReads: ConsoleReadsResult | null;
  readonly history: HistoryResult | null;
  readonly footprint: FootprintResult | null;
  readonly mirrorShards: readonly MirrorShardsRun[];
  readonly fairness: FairnessResult | null;
  /** Parts that failed, with their error: their figures are missing. */
  readonly failures: Readonly<Record<string, string>>;
}

export type BenchResult = ReturnType<typeof benchResult>;

export function benchResult(parts: BenchParts) {
  const { n, items, concurrency, rounds, pipelines, raws, dbFloor, doubled, mirrorLag, itemRate, api } = parts;
  const { peerRuns, consoleReads, history, footprint, mirrorShards, fairness, failures } = parts;
  const jobCpuUs = median(pipelines.map((p) => cpuMicrosPerJob(p, n)));
  const rawCpuUs = median(raws.map((r) => cpuMicrosPerJob(r, n)));

  const jobsPerSec = median(pipelines.map((p) => p.jobsPerSec));
  const rawJobsPerSec = median(raws.map((r) => r.jobsPerSec));
  return {
    at: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version },
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
    peers: peerRuns === null ? null : peersOf(peerRuns, jobsPerSec, n),
    console: consoleReads,
    history,
    footprint,
    mirrorShards,
    fairness,
    memory: memoryOf(pipelines, raws, doubled, n),
    failures,
  };
}

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
function peersOf(runs: Record<string, readonly PeerResult[]>, jobstreamJobsPerSec: number, n: number) {
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

function memoryOf(
  runs: readonly PipelineResult[],
  rawRuns: readonly RawResult[],
  double: PipelineResult | null,
  n: number,
) {
  const peak = (values: (number | null)[]) => Math.max(0, ...values.map((v) => v ?? 0));
  const growth = (at2n: number | null, atN: number) => (at2n === null || atN === 0 ? null : at2n / atN);
  const workerPeakMb = peak(runs.map((p) => p.workerPeakMb));
  const mirrorPeakMb = peak(runs.map((p) => p.mirrorPeakMb));
  const workerRetainedMb = peak(runs.map((p) => p.workerRetainedMb));
  const mirrorRetainedMb = peak(runs.map((p) => p.mirrorRetainedMb));
  return {
    workerPeakMb,
    mirrorPeakMb,
    rawWorkerPeakMb: peak(rawRuns.map((r) => r.workerPeakMb)),
    // What start-up alone takes (peak RSS before the first job), and the heap held after the run once
    // a full collection ran: a peak can grow with a longer run with nothing more held (see MemoryProbe).
    workerStartMb: peak(runs.map((p) => p.workerStartMb)),
    mirrorStartMb: peak(runs.map((p) => p.mirrorStartMb)),
    workerRetainedMb,
    mirrorRetainedMb,
    // Peak at 2N over peak at N: near 1 means memory does not grow with the number of jobs.
    doubled: double && {
      n: 2 * n,
      workerPeakMb: double.workerPeakMb,
      mirrorPeakMb: double.mirrorPeakMb,
      // null when /proc could not be read (a process gone before its peak was taken).
      workerGrowth: growth(double.workerPeakMb, workerPeakMb),
      mirrorGrowth: growth(double.mirrorPeakMb, mirrorPeakMb),
      workerRetainedMb: double.workerRetainedMb,
      mirrorRetainedMb: double.mirrorRetainedMb,
      workerRetainedGrowth: growth(double.workerRetainedMb, workerRetainedMb),
      mirrorRetainedGrowth: growth(double.mirrorRetainedMb, mirrorRetainedMb),
    },
  };
}
