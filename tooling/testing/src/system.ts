import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { createTestDatabase } from "@jobstream/db/testing";
import type { TestDatabase } from "./database";
import { testEnv } from "./env";
import { clusterNodesFor, deletePrefix, testQueuePrefix } from "./prefix";
import { startApp, type AppProcess } from "./process";
import { signToken, type Role } from "./tokens";
import { waitFor } from "./wait";

const workerDir = fileURLToPath(new URL("../../../apps/worker", import.meta.url));
const apiDir = fileURLToPath(new URL("../../../apps/api", import.meta.url));

/**
 * What tests and benchmarks (which start their systems through this class) need on: the synthetic
 * job types, and no per-org quotas (tests that check quotas set them).
 */
export const TEST_FEATURES = {
  ENABLE_SYNTHETIC_JOBS: "true",
  ORG_MAX_UNFINISHED_JOBS: "0",
  ORG_ENQUEUE_PER_MINUTE: "0",
  ORG_ITEMS_PER_MINUTE: "0",
};

/** Settings that make recovery paths fast enough for tests (production defaults are slower). */
export const FAST_RECOVERY = {
  WORKER_LOCK_MS: "2000",
  HOUSEKEEP_INTERVAL_MS: "250",
  OUTBOX_GRACE_MS: "300",
  RECONCILE_AFTER_MS: "1500",
  SHUTDOWN_TIMEOUT_MS: "3000",
};

export interface JobViewBody {
  id: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  progress: { percent: number; message: string | null; step: string | null };
  items: { total: number; processed: number; failed: number; skipped: number };
  output: unknown;
  error: { code: string; message: string } | null;
}

/**
 * A whole Jobstream on this machine for one test file: its own database and key prefix, an API
 * process and worker processes started like `pnpm start` does, and helpers to talk to them.
 */
export class System {
  /** Random like a production key: the API refuses low-entropy secrets. */
  readonly secret = randomBytes(32).toString("base64url");
  readonly prefix = testQueuePrefix();
  readonly workers: AppProcess[] = [];
  api: AppProcess | undefined;
  apiUrl = "";
  pool!: pg.Pool;
  private database!: TestDatabase;

  /** `adminDatabaseUrl`: the server its database is made on (a test's private one for outage tests). */
  constructor(
    readonly redisUrl: string = testEnv.redisUrl,
    private readonly adminDatabaseUrl: string = testEnv.adminDatabaseUrl,
  ) {
    this.redisClusterNodes = clusterNodesFor(redisUrl);
  }

  async init(): Promise<void> {
    this.database = await createTestDatabase(this.adminDatabaseUrl);
    this.pool = new pg.Pool({ connectionString: this.database.url, max: 3 });
    // Tests that stop Postgres kill the pool's idle connections with it; a query still fails loudly.
    this.pool.on("error", () => undefined);
  }

  /**
   * `host:port,…` of the Redis Cluster this system runs on instead of `redisUrl`: the run's
   * cluster in cluster test runs; a test with a cluster of its own sets it before starting processes.
   */
  redisClusterNodes: string | undefined;

  env(extra: Record<string, string> = {}): Record<string, string> {
    const nodes = this.redisClusterNodes;
    return {
      DATABASE_URL: this.database.url,
      ...(nodes === undefined ? { REDIS_URL: this.redisUrl } : { REDIS_CLUSTER_NODES: nodes }),
      QUEUE_PREFIX: this.prefix,
      JWT_SECRET: this.secret,
      LOG_LEVEL: "info",
      DATABASE_POOL_SIZE: "4",
      ...TEST_FEATURES,
      ...FAST_RECOVERY,
      ...extra,
    };
  }

  async startApi(extra: Record<string, string> = {}): Promise<void> {
    this.api = startApp(apiDir, this.env({ PORT: "0", HOST: "127.0.0.1", ...extra }));
    const listening = await this.api.waitForLog("api listening");
    this.apiUrl = `http://127.0.0.1:${String(listening.port)}`;
  }

  /**
   * Stops the API process (SIGKILL: as if it crashed; SIGTERM: a graceful shutdown) and starts a
   * new one on the same port, so clients holding `apiUrl` reconnect to it. `beforeStart` runs
   * while no API listens.
   */
  async restartApi(
    signal: NodeJS.Signals = "SIGKILL",
    beforeStart?: () => Promise<void>,
    extra: Record<string, string> = {},
  ): Promise<void> {
    const old = this.api;
    if (!old) throw new Error("no API process to restart");
    const port = new URL(this.apiUrl).port;
    old.kill(signal);
    await old.exited(15_000);
    await beforeStart?.();
    this.api = startApp(apiDir, this.env({ PORT: port, HOST: "127.0.0.1", ...extra }));
    // Several processes (API_PROCESSES) start together and take longer on a busy machine.
    await this.api.waitForLog("api listening", extra.API_PROCESSES === undefined ? 30_000 : 120_000);
  }

  /** Another API process on the same database and Redis (for multi-process checks). */
  async startExtraApi(extra: Record<string, string> = {}): Promise<{ process: AppProcess; url: string }> {
    const api = startApp(apiDir, this.env({ PORT: "0", HOST: "127.0.0.1", ...extra }));
    this.workers.push(api);
    const listening = await api.waitForLog("api listening");
    return { process: api, url: `http://127.0.0.1:${String(listening.port)}` };
  }

  async startWorker(roles: string, extra: Record<string, string> = {}): Promise<AppProcess> {
    const worker = startApp(
      workerDir,
      this.env({ ROLES: roles, HEALTH_PORT: "0", HEALTH_HOST: "127.0.0.1", ...extra }),
    );
    await worker.waitForLog("worker started");
    this.workers.push(worker);
    return worker;
  }

  /** `count` worker processes with the same roles, started one after another. */
  async startWorkers(count: number, roles: string, extra: Record<string, string> = {}): Promise<AppProcess[]> {
    const started: AppProcess[] = [];
    for (let i = 0; i < count; i++) started.push(await this.startWorker(roles, extra));
    return started;
  }

  token(claims: { sub?: string; org?: string; role?: Role } = {}): Promise<string> {
    return signToken(this.secret, claims);
  }

  // Test helper: the caller names the answer shape it expects and asserts on it.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
  async request<T = unknown>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { ...(options.headers ?? {}) };
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers["content-type"] ??= "application/json";
    const res = await fetch(`${this.apiUrl}${path}`, {
      method,
      headers,
      body:
        options.body === undefined
          ? undefined
          : typeof options.body === "string"
            ? options.body
            : JSON.stringify(options.body),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: body as T };
  }

  async enqueue(token: string, body: Record<string, unknown>): Promise<JobViewBody & { accessToken: string }> {
    const res = await this.request<{ job: JobViewBody; accessToken: string }>("POST", "/v1/jobs", { token, body });
    if (res.status !== 202) throw new Error(`enqueue answered ${res.status}: ${JSON.stringify(res.body)}`);
    return { ...res.body.job, accessToken: res.body.accessToken };
  }

  /** Enqueues `count` jobs (each `job(i)`) through the batch endpoint, 1,000 a request; returns their ids. */
  async enqueueMany(token: string, count: number, job: (i: number) => Record<string, unknown>): Promise<string[]> {
    const ids: string[] = [];
    for (let start = 0; start < count; start += 1000) {
      const jobs = Array.from({ length: Math.min(1000, count - start) }, (_, k) => job(start + k));
      const res = await this.request<{ jobs: { job: { id: string } }[] }>("POST", "/v1/jobs/batch", {
        token,
        body: { jobs },
      });
      if (res.status !== 202) throw new Error(`batch answered ${res.status}: ${JSON.stringify(res.body)}`);
      ids.push(...res.body.jobs.map((a) => a.job.id));
    }
    return ids;
  }

  async job(token: string, id: string): Promise<JobViewBody> {
    const res = await this.request<JobViewBody>("GET", `/v1/jobs/${id}`, { token });
    if (res.status !== 200) throw new Error(`GET job answered ${res.status}`);
    return res.body;
  }

  /** Waits until the job's row reaches `status` (read from Postgres through the API). */
  waitForStatus(token: string, id: string, status: string, timeoutMs = 30_000): Promise<JobViewBody> {
    return waitFor(
      `job ${id} to be ${status}`,
      async () => {
        const job = await this.job(token, id);
        return job.status === status ? job : undefined;
      },
      { timeoutMs, intervalMs: 50 },
    );
  }

  async query<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
    return (await this.pool.query<R>(sql, values)).rows;
  }

  /** How many of the jobs `ids` have `status` in Postgres. */
  async countInStatus(ids: string[], status: string): Promise<number> {
    const [row] = await this.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM jobs WHERE id = ANY($1::uuid[]) AND status = $2::job_status`,
      [ids, status],
    );
    return row?.n ?? 0;
  }

  async stop(): Promise<void> {
    const all = [...this.workers, ...(this.api ? [this.api] : [])];
    for (const p of all) if (p.child.exitCode === null) p.kill("SIGTERM");
    await Promise.all(
      all.map((p) =>
        p.exited(15_000).catch(() => {
          p.kill("SIGKILL");
        }),
      ),
    );
    await this.pool.end();
    await deletePrefix(this.prefix, this.redisUrl).catch(() => undefined);
    await this.database.drop();
  }
}
