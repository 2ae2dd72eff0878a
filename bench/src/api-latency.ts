import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { System } from "@jobstream/testing";
import { measureCpu, processGroups } from "./cpu";
import { profileEnv } from "./profile";
import { seedJobs } from "./seed-jobs";

export interface LatencyResult {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requestsPerSec: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly statusCodes: Record<string, number>;
  /** CPU used during the load, in % of one core: the server process, Postgres, Redis, the load generator. */
  readonly cpuPercent: Record<string, number>;
}

export interface ApiLatencyResult {
  readonly rows: number;
  readonly seedSeconds: number;
  readonly job: LatencyResult;
  readonly active: LatencyResult;
  /** The same by-id requests against the minimal node:http + pg server (floor-server.ts). */
  readonly floor: LatencyResult;
}

async function load(
  url: string,
  token: string,
  paths: readonly string[],
  seconds: number,
  serverPid: number | undefined,
): Promise<LatencyResult> {
  let i = 0;
  const groups = { server: () => (serverPid === undefined ? [] : [serverPid]), ...processGroups };
  const { result, cpuPercent } = await measureCpu(groups, () =>
    autocannon({
      url,
      connections: 50,
      duration: seconds,
      headers: { authorization: `Bearer ${token}` },
      requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] ?? "/healthz" }) }],
    }),
  );
  const stats: Record<string, { count?: number }> = result.statusCodeStats ?? {};
  const statusCodes = Object.fromEntries(Object.entries(stats).map(([code, stat]) => [code, stat.count ?? 0]));
  return {
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requestsPerSec: result.requests.average,
    errors: result.errors,
    non2xx: result.non2xx,
    statusCodes,
    cpuPercent,
  };
}

/** Starts floor-server.ts on the benchmark's database with the API's pool size. */
async function startFloor(
  databaseUrl: string,
  poolSize: string,
): Promise<{ url: string; pid: number | undefined; stop: () => Promise<void> }> {
  const script = fileURLToPath(new URL("./floor-server.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script, databaseUrl, poolSize], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let port = 0;
  for await (const line of createInterface({ input: child.stdout })) {
    if (!line.startsWith("{")) continue;
    port = (JSON.parse(line) as { port: number }).port;
    break;
  }
  if (port === 0) throw new Error("the floor server did not start");
  return {
    url: `http://127.0.0.1:${String(port)}`,
    pid: child.pid,
    stop: async () => {
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * `GET /v1/jobs/:id` and `GET /v1/jobs/active` under 50 concurrent clients (autocannon) against
 * a table of `rows` jobs, and the same by-id requests against the floor server (node:http + pg, no
 * framework) in the same run, with the CPU each process used.
 */
export async function runApiLatency(rows: number, seconds: number): Promise<ApiLatencyResult> {
  const sys = new System();
  await sys.init();
  try {
    const started = performance.now();
    await seedJobs(sys, rows);
    const seedSeconds = (performance.now() - started) / 1000;
    // One token makes every request here: the per-token limit is lifted so it measures reads.
    await sys.startApi({ RATE_LIMIT_PER_MINUTE: "1000000", ...profileEnv() });
    const ids = await sys.query<{ id: string }>(`SELECT id::text FROM jobs TABLESAMPLE SYSTEM (1) LIMIT 10000`);
    const service = await sys.token({ sub: randomUUID(), org: randomUUID(), role: "service" });
    const paths = ids.map((r) => `/v1/jobs/${r.id}`);
    const job = await load(sys.apiUrl, service, paths, seconds, sys.api?.child.pid);
    // Members of different orgs asking for their active jobs.
    const [member] = await sys.query<{ org: string; usr: string }>(
      `SELECT md5('org7')::uuid::text AS org, md5('user7')::uuid::text AS usr`,
    );
    const memberToken = await sys.token({
      sub: member?.usr ?? randomUUID(),
      org: member?.org ?? randomUUID(),
      role: "member",
    });
    const active = await load(sys.apiUrl, memberToken, ["/v1/jobs/active"], seconds, sys.api?.child.pid);
    const env = sys.env();
    const floorServer = await startFloor(env.DATABASE_URL ?? "", env.DATABASE_POOL_SIZE ?? "4");
    try {
      const floor = await load(floorServer.url, service, paths, seconds, floorServer.pid);
      return { rows, seedSeconds, job, active, floor };
    } finally {
      await floorServer.stop();
    }
  } finally {
    await sys.stop();
  }
}
