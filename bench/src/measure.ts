import { readFileSync } from "node:fs";
import { waitFor, type System } from "@jobstream/testing";

/** Peak resident set (VmHWM) of a process, in MB, read from /proc. */
export function peakRssMb(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match?.[1] ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Waits (up to ten minutes) until `n` synthetic jobs are completed in the run's own database. */
export async function syntheticCompleted(sys: System, n: number, intervalMs: number): Promise<void> {
  await waitFor(
    "every job completed",
    async () => {
      const [row] = await sys.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM jobs WHERE type = 'synthetic' AND status = 'completed'`,
      );
      return row?.n === n ? true : undefined;
    },
    { timeoutMs: 600_000, intervalMs },
  );
}

/**
 * CPU time the run's own processes spent per job, in core-µs (machine-wide load from elsewhere
 * excluded). On a machine both runs saturate, throughput goes as 1 / this, so raw ÷ Jobstream
 * bounds the ratio from above.
 */
export function cpuMicrosPerJob(
  run: { readonly cpuPercent: Record<string, number>; readonly seconds: number },
  jobs: number,
): number {
  const percent = Object.entries(run.cpuPercent)
    .filter(([group]) => group !== "machine")
    .reduce((sum, [, v]) => sum + v, 0);
  return ((percent / 100) * run.seconds * 1e6) / jobs;
}

/** Enqueues `n` `synthetic/noop` jobs with `items` outcomes each through the HTTP batch endpoint, 1,000 a request. */
export async function enqueueNoops(sys: System, token: string, n: number, items: number): Promise<void> {
  const job = { type: "synthetic", subtype: "noop", input: { items } };
  for (let sent = 0; sent < n; sent += 1000) {
    const size = Math.min(1000, n - sent);
    const res = await sys.request("POST", "/v1/jobs/batch", {
      token,
      body: { jobs: Array.from({ length: size }, () => job) },
    });
    if (res.status !== 202) throw new Error(`batch answered ${res.status}`);
  }
}
