// Redis and Postgres go out — Redis comes back EMPTY — while every role starts and again while
// jobs run, for separate processes and for `pnpm start`'s process set. Against a Redis and a
// Postgres this test starts itself: the shared servers are never stopped.
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { PrivatePostgres, PrivateRedis, startApp, System, waitFor, type AppProcess } from "@jobstream/testing";
import { launchSystem } from "@jobstream/testing/fixtures";

const apiDir = fileURLToPath(new URL("../../api", import.meta.url));
const workerDir = fileURLToPath(new URL("..", import.meta.url));
const launcherDir = fileURLToPath(new URL("../../../tooling/launcher", import.meta.url));

const ITEMS = 3;
/** A finished job's row as the invariants need it, with the item outcomes counted from job_items. */
interface JobCheck {
  id: string;
  status: string;
  processed_items: number;
  failed_items: number;
  outcomes: number;
  errors: number;
}

/** This file's own Redis and Postgres, which the tests stop and start; and a System on them per test. */
const it = test
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from this pattern
  .extend("redis", { scope: "file" }, async ({}, { onCleanup }) => {
    const redis = await PrivateRedis.create({ persistent: false });
    onCleanup(() => redis.destroy());
    return redis;
  })
  // eslint-disable-next-line no-empty-pattern -- as above
  .extend("postgres", { scope: "file" }, async ({}, { onCleanup }) => {
    const postgres = await PrivatePostgres.create();
    onCleanup(() => postgres.destroy());
    return postgres;
  })
  // No process yet: each test starts its own while the servers are down.
  .extend("sys", async ({ redis, postgres }, { onCleanup }) => {
    const { sys } = await launchSystem(new System(redis.url, postgres.adminUrl), onCleanup, () => Promise.resolve());
    return sys;
  })
  .extend("member", ({ sys }) => sys.token({ sub: randomUUID(), org: randomUUID(), role: "member" }))
  .extend("outage", { scope: "file" }, ({ redis, postgres }): Servers => ({ redis, postgres }));

interface Servers {
  redis: PrivateRedis;
  postgres: PrivatePostgres;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function alive(p: AppProcess): boolean {
  return p.child.exitCode === null && p.child.signalCode === null;
}

async function readyz(
  base: string,
): Promise<{ status: number; body: { checks?: Record<string, string> }; text: string } | null> {
  try {
    const res = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(5000) });
    const text = await res.text();
    return { status: res.status, body: JSON.parse(text) as { checks?: Record<string, string> }, text };
  } catch {
    return null;
  }
}

/** Polls `/readyz` of every base until each reports `checks` (and, when all ok, answers 200). */
async function waitForChecks(bases: string[], checks: { redis: string; postgres: string }): Promise<void> {
  await waitFor(
    `readyz ${JSON.stringify(checks)}`,
    async () => {
      for (const base of bases) {
        const answer = await readyz(base);
        if (answer === null) return false;
        if (JSON.stringify(answer.body.checks) !== JSON.stringify(checks)) return false;
        const ok = checks.redis === "ok" && checks.postgres === "ok";
        if (answer.status !== (ok ? 200 : 503)) return false;
        // The reason goes to the log, never into the answer.
        if (/ECONNREFUSED|terminat|connect/i.test(answer.text))
          throw new Error(`raw error text in /readyz: ${answer.text}`);
      }
      return true;
    },
    { timeoutMs: 45_000, intervalMs: 200 },
  );
}

function jobBody(i: number): Record<string, unknown> {
  return {
    type: "synthetic",
    subtype: "work",
    maxAttempts: 10,
    input: {
      durationMs: 20 + (i % 5) * 40,
      items: ITEMS,
      failItems: i % 4 === 0 ? [1] : [],
      failAttempts: i % 9 === 0 ? 1 : 0,
    },
  };
}

/** Enqueues `count` jobs in batches; returns the ids the API accepted and every answer's status. */
async function enqueueMany(sys: System, token: string, count: number): Promise<{ ids: string[]; statuses: number[] }> {
  const ids: string[] = [];
  const statuses: number[] = [];
  for (let start = 0; start < count; start += 25) {
    const jobs = Array.from({ length: Math.min(25, count - start) }, (_, k) => jobBody(start + k));
    try {
      const res = await sys.request<{ jobs: { job: { id: string } }[] }>("POST", "/v1/jobs/batch", {
        token,
        body: { jobs },
      });
      statuses.push(res.status);
      if (res.status === 202) ids.push(...res.body.jobs.map((a) => a.job.id));
    } catch {
      statuses.push(0);
    }
  }
  return { ids, statuses };
}

/** Every accepted job reaches `completed`, with counters equal to its item rows. */
async function expectAllCorrect(sys: System, ids: string[]): Promise<void> {
  const rows = await waitFor(
    `${ids.length} jobs to finish`,
    async () => {
      const found = await sys.query<JobCheck>(
        `SELECT j.id, j.status::text AS status, j.processed_items, j.failed_items,
              (SELECT count(*) FROM job_items i
                WHERE i.job_id = j.id AND i.status::text IN ('success', 'error', 'skipped'))::int AS outcomes,
              (SELECT count(*) FROM job_items i WHERE i.job_id = j.id AND i.status::text = 'error')::int AS errors
         FROM jobs j WHERE j.id = ANY($1::uuid[])`,
        [ids],
      );
      const done = found.filter((r) => ["completed", "failed", "cancelled"].includes(r.status));
      return found.length === ids.length && done.length === ids.length ? found : undefined;
    },
    { timeoutMs: 180_000, intervalMs: 500 },
  );
  const wrong = rows.filter(
    (r) =>
      r.status !== "completed" || r.processed_items !== ITEMS || r.outcomes !== ITEMS || r.failed_items !== r.errors,
  );
  expect(wrong).toEqual([]);
}

/**
 * Jobs in flight while Redis goes out and comes back empty, then while Postgres restarts, then
 * both; jobs
 * are also offered during each outage (accepted ones count, refused ones must be a clean 503).
 */
async function outagesMidRun(
  { redis, postgres }: Servers,
  sys: System,
  token: string,
  apiBase: string,
  healthBases: string[],
): Promise<string[]> {
  const accepted: string[] = [];
  const statuses: number[] = [];
  const offer = async (count: number) => {
    const result = await enqueueMany(sys, token, count);
    accepted.push(...result.ids);
    statuses.push(...result.statuses);
  };
  await offer(60);
  await sleep(300);
  await redis.stop();
  await offer(20); // accepted into Postgres; the outbox sends them once Redis is back
  // Every process has seen the outage (not merely: some time has passed) before Redis returns.
  await waitForChecks([apiBase, ...healthBases], { redis: "down", postgres: "ok" });
  await redis.start(); // empty: queues, streams, consumer groups, leases are gone
  await waitForChecks([apiBase, ...healthBases], { redis: "ok", postgres: "ok" });
  await offer(40);
  await sleep(300);
  await postgres.stop("fast");
  await offer(10);
  await waitForChecks([apiBase, ...healthBases], { redis: "ok", postgres: "down" });
  await postgres.start();
  await waitForChecks([apiBase, ...healthBases], { redis: "ok", postgres: "ok" });
  await offer(60);
  await sleep(300);
  // Both at once, as in the reported incident: Redis comes back empty while Postgres is still out.
  await Promise.all([redis.stop(), postgres.stop("fast")]);
  await offer(10);
  await waitForChecks([apiBase, ...healthBases], { redis: "down", postgres: "down" });
  await redis.start();
  await waitForChecks([apiBase, ...healthBases], { redis: "ok", postgres: "down" });
  await postgres.start();
  await waitForChecks([apiBase, ...healthBases], { redis: "ok", postgres: "ok" });
  await offer(30);
  expect(statuses.filter((s) => s !== 202 && s !== 503)).toEqual([]);
  expect(accepted.length).toBeGreaterThanOrEqual(200);
  return accepted;
}

function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** Each state change logged, and only a handful of times — not once per failed command. */
function expectQuietLogs(name: string, output: string): void {
  for (const msg of ["redis down", "redis back", "postgres down", "postgres back"]) {
    const n = count(output, `"msg":"${msg}"`);
    expect(n, `${name}: "${msg}" lines`).toBeGreaterThanOrEqual(1);
    expect(n, `${name}: "${msg}" lines`).toBeLessThanOrEqual(6);
  }
  expect(output).not.toMatch(/unhandled rejection|uncaught/);
  expect(count(output, '"stack":'), `${name}: stack traces`).toBeLessThanOrEqual(5);
}

describe("outages with separate processes", () => {
  it("every role waits through outages at start-up and mid-run, and every accepted job ends correct", async ({
    sys,
    member: token,
    outage: { redis, postgres },
  }) => {
    await redis.stop();
    await postgres.stop("fast");

    const env = sys.env({ ENABLE_SYNTHETIC_JOBS: "true" });
    const api = startApp(apiDir, { ...env, PORT: "0", HOST: "127.0.0.1" });
    sys.workers.push(api);
    const roles = ["work", "mirror", "housekeep"].map((role) => {
      const worker = startApp(workerDir, { ...env, ROLES: role, HEALTH_PORT: "0", HEALTH_HOST: "127.0.0.1" });
      sys.workers.push(worker);
      return worker;
    });
    sys.apiUrl = `http://127.0.0.1:${String((await api.waitForLog("api listening")).port)}`;
    const healthBases = await Promise.all(
      roles.map(async (w) => `http://127.0.0.1:${String((await w.waitForLog("worker starting")).healthPort)}`),
    );
    await waitForChecks([sys.apiUrl, ...healthBases], { redis: "down", postgres: "down" });

    await redis.start();
    await waitForChecks([sys.apiUrl, ...healthBases], { redis: "ok", postgres: "down" });
    // Past their Redis wait, the roles start while Postgres is still out.
    await Promise.all(roles.map((w) => w.waitForLog("worker started", 45_000)));
    await sleep(1000);
    await postgres.start();
    await waitForChecks([sys.apiUrl, ...healthBases], { redis: "ok", postgres: "ok" });

    const accepted = await outagesMidRun({ redis, postgres }, sys, token, sys.apiUrl, healthBases);
    await expectAllCorrect(sys, accepted);

    const all = [api, ...roles];
    expect(all.filter((p) => !alive(p)).map((p) => p.output().slice(-2000))).toEqual([]);
    expectQuietLogs("api", api.output());
    roles.forEach((w, i) => {
      expectQuietLogs(["work", "mirror", "housekeep"][i] ?? "", w.output());
    });
    // A stop requested while Redis is out still ends every process cleanly.
    await redis.stop();
    await waitForChecks([sys.apiUrl, ...healthBases], { redis: "down", postgres: "ok" });
    for (const p of all) p.kill("SIGTERM");
    const codes = await Promise.all(all.map((p) => p.exited(30_000)));
    await redis.start();
    expect(codes).toEqual([0, 0, 0, 0]);
  }, 420_000);
});

describe("outages with pnpm start", () => {
  it("waits for Postgres, rides out outages in every role, restarts a dead child, and stops cleanly", async ({
    sys,
    outage: { redis, postgres },
  }) => {
    const token = await sys.token({ sub: randomUUID(), org: randomUUID(), role: "member" });
    const env = sys.env({
      ENABLE_SYNTHETIC_JOBS: "true",
      PORT: "0",
      HOST: "127.0.0.1",
      HEALTH_PORT: "0",
      HEALTH_HOST: "127.0.0.1",
      ROLES: "all",
    });
    // The launcher starts while both servers are out.
    await Promise.all([redis.stop(), postgres.stop("fast")]);
    const launcher = startApp(launcherDir, env, "src/start.ts");
    sys.workers.push(launcher);
    await waitFor(
      "the launcher to wait for Postgres",
      () => /Postgres at .* does not answer yet; waiting/.test(launcher.output()),
      { timeoutMs: 30_000 },
    );
    expect(alive(launcher)).toBe(true);
    await postgres.start();
    await waitFor("migrations", () => launcher.output().includes("launcher: database is up to date"), {
      timeoutMs: 60_000,
    });
    // The roles now start while both are out.
    await postgres.stop("fast");

    sys.apiUrl = `http://127.0.0.1:${String((await launcher.waitForLog("api listening", 120_000)).port)}`;
    const healthBase = `http://127.0.0.1:${String((await launcher.waitForLog("worker starting", 60_000)).healthPort)}`;
    await waitForChecks([sys.apiUrl, healthBase], { redis: "down", postgres: "down" });
    await redis.start();
    const started = await launcher.waitForLog("worker started", 45_000);
    await postgres.start();
    await waitForChecks([sys.apiUrl, healthBase], { redis: "ok", postgres: "ok" });

    const accepted = await outagesMidRun({ redis, postgres }, sys, token, sys.apiUrl, [healthBase]);

    // A child that dies is restarted; the API keeps serving meanwhile.
    process.kill(Number(started.pid), "SIGKILL");
    await waitFor("the worker to be restarted", () => count(launcher.output(), '"msg":"worker started"') >= 2, {
      timeoutMs: 60_000,
    });
    expect(launcher.output()).toMatch(/launcher: worker exited \(SIGKILL\); restarting it in/);
    const more = await enqueueMany(sys, token, 25);
    expect(more.statuses.every((s) => s === 202)).toBe(true);
    await expectAllCorrect(sys, [...accepted, ...more.ids]);

    expect(alive(launcher)).toBe(true);
    const output = launcher.output();
    expect(count(output, '"msg":"api listening"')).toBe(1);
    expect(output).not.toMatch(/unhandled rejection|uncaught/);
    expect(count(output, '"stack":')).toBeLessThanOrEqual(10);
    launcher.kill("SIGTERM");
    expect(await launcher.exited(30_000)).toBe(0);
    await waitFor(
      "both to log stopped",
      () =>
        /"service":"api".*"msg":"stopped"/.test(launcher.output()) &&
        /"service":"worker".*"msg":"stopped"/.test(launcher.output()),
      { timeoutMs: 30_000 },
    );
  }, 420_000);
});
