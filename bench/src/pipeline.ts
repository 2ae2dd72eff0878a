import { randomUUID } from "node:crypto";
import { System, waitFor } from "@jobstream/testing";
import { measureCpu, processGroups } from "./cpu";
import { profileEnv } from "./profile";
import { enqueueNoops, peakRssMb, syntheticCompleted } from "./measure";
import { MemoryProbe } from "./memory-probe";

export interface PipelineResult {
  readonly jobsPerSec: number;
  /** Jobs accepted per second by the API (enqueue phase alone). */
  readonly enqueuePerSec: number;
  readonly seconds: number;
  /** Peak RSS of the process running the `work` role, and of the one running `mirror,housekeep`. */
  readonly workerPeakMb: number | null;
  readonly mirrorPeakMb: number | null;
  /** Peak RSS of the same processes once started, before the first job: what start-up alone takes. */
  readonly workerStartMb: number | null;
  readonly mirrorStartMb: number | null;
  /** Heap they still hold after the last row, once a full garbage collection ran (see MemoryProbe). */
  readonly workerRetainedMb: number | null;
  readonly mirrorRetainedMb: number | null;
  /** CPU used from the first enqueue to the last row, in % of one core (see measureCpu). */
  readonly cpuPercent: Record<string, number>;
}

const pidOf = (p: { readonly child: { readonly pid?: number } } | undefined): number[] =>
  p?.child.pid === undefined ? [] : [p.child.pid];

/** Enqueues N jobs by batches of 1,000 and waits for every row and item row: seconds in all and for the enqueue. */
async function enqueueAndWait(
  sys: System,
  token: string,
  n: number,
  items: number,
): Promise<{ seconds: number; enqueueSeconds: number }> {
  const started = performance.now();
  await enqueueNoops(sys, token, n, items);
  const enqueueSeconds = (performance.now() - started) / 1000;
  await syntheticCompleted(sys, n, 50);
  await waitFor(
    "every item row",
    async () => {
      const [row] = await sys.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM job_items i JOIN jobs j ON j.id = i.job_id WHERE j.type = 'synthetic'`,
      );
      return row?.n === n * items ? true : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 50 },
  );
  return { seconds: (performance.now() - started) / 1000, enqueueSeconds };
}

/**
 * N `synthetic/noop` jobs with `items` outcomes each, enqueued through the HTTP batch endpoint,
 * run by a worker process (role work) and mirrored by another (roles mirror, housekeep), timed
 * until every row is `completed` and every item row exists in Postgres.
 */
export async function runPipeline(
  n: number,
  items: number,
  concurrency: number,
  /** Settings of every process on top of the bench's (fair share off, per-org caps…). */
  extraEnv: Record<string, string> = {},
): Promise<PipelineResult> {
  const sys = new System();
  const memory = new MemoryProbe();
  await sys.init();
  try {
    const nodeOptions = { ...profileEnv(), ...extraEnv };
    const probed = { ...nodeOptions, ...memory.env(nodeOptions.NODE_OPTIONS) };
    await sys.startApi({ BODY_LIMIT: "10mb", ...nodeOptions });
    const worker = await sys.startWorker("work", {
      CONCURRENCY_SYNTHETIC: String(concurrency),
      DATABASE_POOL_SIZE: "2",
      ...probed,
    });
    const mirror = await sys.startWorker("mirror,housekeep", { DATABASE_POOL_SIZE: "4", ...probed });
    const workerStartMb = peakRssMb(worker.child.pid);
    const mirrorStartMb = peakRssMb(mirror.child.pid);
    const token = await sys.token({ sub: randomUUID(), org: randomUUID(), role: "service" });

    const groups = {
      api: () => pidOf(sys.api),
      worker: () => pidOf(worker),
      mirror: () => pidOf(mirror),
      ...processGroups,
    };
    const { result: timing, cpuPercent } = await measureCpu(groups, () => enqueueAndWait(sys, token, n, items));
    const { seconds, enqueueSeconds } = timing;

    const [check] = await sys.query<{ bad: number }>(
      `SELECT count(*)::int AS bad FROM jobs
       WHERE type = 'synthetic' AND (processed_items <> $1 OR total_items <> $1 OR progress_percent <> 100)`,
      [items],
    );
    if (check?.bad !== 0) throw new Error(`${String(check?.bad)} rows have wrong counters`);
    // Peaks first: the probe's collection comes after them.
    const workerPeakMb = peakRssMb(worker.child.pid);
    const mirrorPeakMb = peakRssMb(mirror.child.pid);
    return {
      jobsPerSec: n / seconds,
      enqueuePerSec: n / enqueueSeconds,
      seconds,
      workerPeakMb,
      mirrorPeakMb,
      workerStartMb,
      mirrorStartMb,
      workerRetainedMb: await memory.retainedMb(worker.child.pid),
      mirrorRetainedMb: await memory.retainedMb(mirror.child.pid),
      cpuPercent,
    };
  } finally {
    await sys.stop();
    memory.close();
  }
}
