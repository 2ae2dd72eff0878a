import { randomUUID } from "node:crypto";
import { createPool, rebuildTimeseriesRollups } from "@jobstream/db";
import { System } from "@jobstream/testing";
import { seedJobs } from "./seed-jobs";

/** p50 / p99 of one kind of request, sent one after another. */
export interface ReadLatency {
  readonly name: string;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
}

export interface ConsoleReadsResult {
  readonly rows: number;
  readonly seedSeconds: number;
  /** Recounting the every-org time-series rollups from the seeded rows. */
  readonly rollupSeconds: number;
  readonly reads: readonly ReadLatency[];
}

const DAY_MS = 86_400_000;

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

/** Sends `count` requests one at a time (path `i` from `pathOf`), each must answer 200. */
async function measure(
  sys: System,
  token: string,
  name: string,
  count: number,
  pathOf: (i: number) => string,
): Promise<ReadLatency> {
  const times: number[] = [];
  // Two untimed requests first: plans and connections warm.
  for (let i = -2; i < count; i++) {
    const started = performance.now();
    const res = await sys.request("GET", pathOf(Math.max(i, 0)), { token });
    if (res.status !== 200) throw new Error(`${name}: ${pathOf(i)} answered ${String(res.status)}`);
    if (i >= 0) times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { name, p50Ms: quantile(times, 0.5), p99Ms: quantile(times, 0.99), requests: count };
}

/**
 * The operator console's reads on `rows` jobs over 30 days (seeded in one statement): metadata
 * and name searches, and time series, through the API, one request at a time, as an org's admin
 * (1,000 orgs: about rows / 1,000 jobs each) and as a service (every org).
 */
export async function runConsoleReads(rows: number, requests: number): Promise<ConsoleReadsResult> {
  const sys = new System();
  await sys.init();
  try {
    let started = performance.now();
    await seedJobs(sys, rows, { spanSeconds: 30 * 86_400 });
    const seedSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    const pool = createPool({ connectionString: sys.env().DATABASE_URL ?? "", max: 1 });
    try {
      await rebuildTimeseriesRollups(pool);
    } finally {
      await pool.end();
    }
    const rollupSeconds = (performance.now() - started) / 1000;
    await sys.startApi({ RATE_LIMIT_PER_MINUTE: "1000000" });
    const [org] = await sys.query<{ id: string }>(`SELECT md5('org7')::uuid::text AS id`);
    const admin = await sys.token({ sub: randomUUID(), org: org?.id ?? randomUUID(), role: "admin" });
    const service = await sys.token({ sub: randomUUID(), org: randomUUID(), role: "service" });
    const meta = (value: Record<string, unknown>) => `/v1/jobs?metadata=${encodeURIComponent(JSON.stringify(value))}`;
    const to = new Date();
    const range = (days: number, bucket: string) => {
      const from = new Date(to.getTime() - days * DAY_MS).toISOString();
      return `/v1/stats/timeseries?from=${from}&to=${to.toISOString()}&bucket=${bucket}`;
    };
    const reads: ReadLatency[] = [];
    const run = async (token: string, name: string, pathOf: (i: number) => string) => {
      const read = await measure(sys, token, name, requests, pathOf);
      console.log(`console: ${name}: p50 ${read.p50Ms.toFixed(1)} ms, p99 ${read.p99Ms.toFixed(1)} ms`);
      reads.push(read);
    };
    // Values seen in 1 job in 997 (shop), 1 in 10 (campaign), one job (ticket).
    await run(admin, "metadata search, one org, 1 in 997", (i) => meta({ shop: `shop-${String(i % 997)}` }));
    await run(service, "metadata search, every org, 1 in 997", (i) => meta({ shop: `shop-${String(i % 997)}` }));
    await run(service, "metadata search, every org, 1 in 10", (i) => meta({ campaign: `c${String(i % 10)}` }));
    await run(service, "metadata search, every org, one job", (i) => meta({ ticket: (i * 7919) % rows }));
    await run(admin, "name search, one org", (i) => `/v1/jobs?q=${encodeURIComponent(`Import ${String(i + 1)}`)}`);
    await run(service, "name search, every org", (i) => `/v1/jobs?q=${encodeURIComponent(`Import ${String(i + 1)}1`)}`);
    await run(
      service,
      "metadata + name + status, every org",
      (i) =>
        `${meta({ campaign: `c${String(i % 10)}` })}&q=${encodeURIComponent(`Import ${String(i + 1)}`)}` +
        "&status=completed",
    );
    await run(admin, "time series, one org, 30 days by hour", () => range(30, "1h"));
    await run(service, "time series, every org, 30 days by hour", () => range(30, "1h"));
    await run(service, "time series, every org, 30 days by day", () => range(30, "1d"));
    await run(service, "time series, every org, 24 hours by minute", () => range(1, "1m"));
    return { rows, seedSeconds, rollupSeconds, reads };
  } finally {
    await sys.stop();
  }
}
