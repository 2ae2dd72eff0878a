import { randomUUID } from "node:crypto";
import { System, waitFor } from "@jobstream/testing";
import { runFairTagCost, type FairTagCost } from "./fair-tags";
import { cpuMicrosPerJob } from "./measure";
import { runPipeline } from "./pipeline";

export interface FairnessWait {
  readonly fairShare: boolean;
  /** From just before B's enqueue to the start of B's last job (the rows' `started_at`). */
  readonly bWaitMs: number;
  /** A's jobs that had started by then (of `backlog`). */
  readonly aStartedBefore: number;
  /** A's jobs that started between B's enqueue and B's last start: the order, whatever the machine's speed. */
  readonly aStartedMeanwhile: number;
}

export interface FairnessResult {
  readonly backlog: number;
  readonly durationMs: number;
  readonly concurrency: number;
  readonly waits: FairnessWait[];
  /** The pipeline (noop jobs, one org) with fair share on and off, and with a per-org cap that is never reached. */
  readonly jobsPerSec: { readonly on: number; readonly off: number; readonly capped: number };
  /** CPU of the pipeline's own processes per job (core-µs): steadier than jobs/s on a shared machine. */
  readonly cpuMicrosPerJob: { readonly on: number; readonly off: number; readonly capped: number };
  readonly tags: FairTagCost;
}

/**
 * Org A enqueues `backlog` jobs of `durationMs`, then org B enqueues 10: how long B waits for its
 * last job to start, with fair share on or off. Everything runs in one worker process.
 */
async function bWait(fairShare: boolean, backlog: number, durationMs: number, concurrency: number) {
  const sys = new System();
  await sys.init();
  try {
    const env = { FAIR_SHARE: String(fairShare) };
    await sys.startApi({ BODY_LIMIT: "10mb", ...env });
    await sys.startWorker("work,mirror,housekeep", { CONCURRENCY_SYNTHETIC: String(concurrency), ...env });
    const orgA = randomUUID();
    const a = await sys.token({ sub: randomUUID(), org: orgA, role: "service" });
    const b = await sys.token({ sub: randomUUID(), org: randomUUID(), role: "service" });
    const work = { type: "synthetic", subtype: "work", input: { durationMs } };
    await sys.enqueueMany(a, backlog, () => work);
    const bEnqueuedAt = Date.now();
    const bIds = await sys.enqueueMany(b, 10, () => work);
    const last = await waitFor(
      "B's ten jobs to start",
      async () => {
        const [row] = await sys.query<{ n: number; last: Date | null }>(
          `SELECT count(started_at)::int AS n, max(started_at) AS last FROM jobs WHERE id = ANY($1::uuid[])`,
          [bIds],
        );
        return row?.n === 10 && row.last !== null ? row.last : undefined;
      },
      { timeoutMs: 600_000, intervalMs: 100 },
    );
    const [started] = await sys.query<{ before: number; meanwhile: number }>(
      `SELECT count(*) FILTER (WHERE started_at <= $2)::int AS before,
              count(*) FILTER (WHERE started_at > $3 AND started_at <= $2)::int AS meanwhile
       FROM jobs WHERE org_id = $1`,
      [orgA, last, new Date(bEnqueuedAt)],
    );
    return {
      fairShare,
      bWaitMs: last.getTime() - bEnqueuedAt,
      aStartedBefore: started?.before ?? 0,
      aStartedMeanwhile: started?.meanwhile ?? 0,
    };
  } finally {
    await sys.stop();
  }
}

/** The fairness part of `pnpm bench`: B's wait behind A's backlog, and what fair share costs in throughput. */
export async function runFairness(options: {
  readonly backlog: number;
  readonly durationMs: number;
  readonly concurrency: number;
  readonly n: number;
  readonly items: number;
}): Promise<FairnessResult> {
  const { backlog, durationMs, concurrency, n, items } = options;
  const waits = [
    await bWait(true, backlog, durationMs, concurrency),
    await bWait(false, backlog, durationMs, concurrency),
  ];
  for (const w of waits)
    console.log(
      `fair share ${w.fairShare ? "on" : "off"}: B waited ${w.bWaitMs} ms; A had started ` +
        `${w.aStartedBefore} of ${backlog}, ${w.aStartedMeanwhile} of them after B's enqueue`,
    );
  // One after the other on one machine: compare the figures of one run.
  const on = await runPipeline(n, items, 50);
  const off = await runPipeline(n, items, 50, { FAIR_SHARE: "false" });
  // A cap every org has but never reaches: each job takes and gives back a run slot.
  const capped = await runPipeline(n, items, 50, { ORG_CONCURRENCY_SYNTHETIC: "10000" });
  const jobsPerSec = { on: on.jobsPerSec, off: off.jobsPerSec, capped: capped.jobsPerSec };
  const cpu = {
    on: cpuMicrosPerJob(on, n),
    off: cpuMicrosPerJob(off, n),
    capped: cpuMicrosPerJob(capped, n),
  };
  console.log(
    `pipeline: fair share on ${on.jobsPerSec.toFixed(0)} jobs/s, off ${off.jobsPerSec.toFixed(0)} jobs/s, ` +
      `on with a per-org cap ${capped.jobsPerSec.toFixed(0)} jobs/s; CPU per job ${cpu.on.toFixed(0)} / ` +
      `${cpu.off.toFixed(0)} / ${cpu.capped.toFixed(0)} core-µs`,
  );
  const tags = await runFairTagCost(n * 10);
  console.log(
    `fair tags: ${tags.microsPerJob.toFixed(1)} µs per job in Redis; a rebase of ${tags.queued} queued jobs ` +
      `${tags.rebaseMs.toFixed(0)} ms`,
  );
  return { backlog, durationMs, concurrency, waits, jobsPerSec, cpuMicrosPerJob: cpu, tags };
}
