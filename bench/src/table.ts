// The table `pnpm bench` prints at the end of a run: the figures of latest.json, one row each.
import { median } from "./measure";
import type { PipelineResult } from "./pipeline";
import type { BenchResult } from "./result";

/** Several figures of one row, as the table shows them (`a / b / c`). */
const slashed = (...values: unknown[]) => values.map(String).join(" / ");

export function printTable(result: BenchResult, pipelines: readonly PipelineResult[]): void {
  const { fairness, console: consoleReads, history, footprint, mirrorShards } = result;
  console.log("\nJobstream bench");
  console.table({
    ...(pipelines.length > 0
      ? {
          "raw BullMQ (jobs/s)": result.pipeline.rawJobsPerSec.toFixed(0),
          "Jobstream pipeline (jobs/s)": result.pipeline.jobsPerSec.toFixed(0),
          ratio: result.pipeline.ratio.toFixed(3),
          "API enqueue (jobs/s)": median(pipelines.map((p) => p.enqueuePerSec)).toFixed(0),
          "db floor: the pipeline's SQL alone (jobs/s)": result.pipeline.dbFloorJobsPerSec?.toFixed(0) ?? "—",
          "pipeline ÷ db floor": result.pipeline.ofDbFloor?.toFixed(3) ?? "—",
          "CPU per job, own processes (core-µs): raw / Jobstream": `${result.pipeline.rawCpuMicrosPerJob.toFixed(0)} / ${result.pipeline.cpuMicrosPerJob.toFixed(0)}`,
          "ratio bound by CPU per job (raw ÷ Jobstream)": (
            result.pipeline.rawCpuMicrosPerJob / result.pipeline.cpuMicrosPerJob
          ).toFixed(3),
          "worker (role work) peak RSS (MB)": result.memory.workerPeakMb,
          "mirror (roles mirror, housekeep) peak RSS (MB)": result.memory.mirrorPeakMb,
          "raw worker peak RSS (MB)": result.memory.rawWorkerPeakMb,
          "peak RSS once started, before the first job (MB): worker / mirror": slashed(
            result.memory.workerStartMb,
            result.memory.mirrorStartMb,
          ),
          ...(result.memory.doubled
            ? {
                [`peak RSS at 2N = ${result.memory.doubled.n} ÷ at N: worker / mirror`]: slashed(
                  result.memory.doubled.workerGrowth?.toFixed(2) ?? "?",
                  result.memory.doubled.mirrorGrowth?.toFixed(2) ?? "?",
                ),
                "heap held after a full GC at N / at 2N (MB): worker, mirror": slashed(
                  `${result.memory.workerRetainedMb}, ${result.memory.mirrorRetainedMb}`,
                  `${result.memory.doubled.workerRetainedMb ?? "?"}, ${result.memory.doubled.mirrorRetainedMb ?? "?"}`,
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
}
