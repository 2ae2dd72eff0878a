import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { System, testEnv, waitFor } from "@jobstream/testing";
import { measureCpu, processGroups, withChildren } from "./cpu";
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
  /** API processes (API_PROCESSES) of the runs below, and floor processes alike. */
  readonly processes: number;
  /** With processes > 1: the by-id load against that many API processes, then as many floor processes. */
  readonly clustered: { readonly job: LatencyResult; readonly floor: LatencyResult } | null;
}

async function load(
  url: string,
  token: string,
  paths: readonly string[],
  seconds: number,
  serverPid: number | undefined,
): Promise<LatencyResult> {
  let i = 0;
  // A cluster's primary and its workers together.
  const groups = { server: () => (serverPid === undefined ? [] : withChildren(serverPid)), ...processGroups };
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

/** Starts floor-server.ts on the benchmark's database with the API's pool size, in `processes` processes. */
async function startFloor(
  databaseUrl: string,
  poolSize: string,
  processes: number,
): Promise<{ url: string; pid: number | undefined; stop: () => Promise<void> }> {
  const script = fileURLToPath(new URL("./floor-server.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", script, databaseUrl, poolSize, String(processes)], {
    stdio: ["ignore", "pipe", "inherit"],
    // Not the bench's own environment (tsx's CLI variables in it kept cluster workers from starting).
    env: { PATH: testEnv.path },
  });
  let port = 0;
  let listening = 0;
  for await (const line of createInterface({ input: child.stdout })) {
    if (!line.startsWith("{")) continue;
    port = (JSON.parse(line) as { port: number }).port;
    if (++listening === processes) break;
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
 * framework) in the same run, with the CPU each process used; with `processes` > 1, the by-id
 * load once more against that many API processes (API_PROCESSES) and as many floor processes.
 */
export async function runApiLatency(rows: number, seconds: number, processes: number): Promise<ApiLatencyResult> {
  const sys = new System();
  await sys.init();
  try {
    const started = performance.now();
    await seedJobs(sys, rows);
    const seedSeconds = (performance.now() - started) / 1000;
    // One token makes every request here: the per-token limit is lifted so it measures reads.
    const apiEnv = { RATE_LIMIT_PER_MINUTE: "1000000", ...profileEnv() };
    await sys.startApi({ ...apiEnv, API_PROCESSES: "1" });
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
    const loadFloor = async (count: number) => {
      const floorServer = await startFloor(env.DATABASE_URL ?? "", env.DATABASE_POOL_SIZE ?? "4", count);
      try {
        return await load(floorServer.url, service, paths, seconds, floorServer.pid);
      } finally {
        await floorServer.stop();
      }
    };
    const floor = await loadFloor(1);
    if (processes <= 1) return { rows, seedSeconds, job, active, floor, processes, clustered: null };
    await sys.restartApi("SIGTERM", undefined, { ...apiEnv, API_PROCESSES: String(processes) });
    // Every worker listening before the load (restartApi returns when the first one does).
    await waitFor("every API process listening", () => countLogs(sys, "api listening") >= processes, {
      timeoutMs: 120_000,
    });
    const clustered = {
      job: await load(sys.apiUrl, service, paths, seconds, sys.api?.child.pid),
      floor: await loadFloor(processes),
    };
    return { rows, seedSeconds, job, active, floor, processes, clustered };
  } finally {
    await sys.stop();
  }
}

/** How many of the current API process's log lines (a cluster's workers' included) have this `msg`. */
function countLogs(sys: System, msg: string): number {
  return (sys.api?.output() ?? "").split("\n").filter((line) => line.includes(`"msg":"${msg}"`)).length;
}
