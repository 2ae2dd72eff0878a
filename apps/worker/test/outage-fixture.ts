// What the outage tests share: their own servers to stop and start, /readyz polling, and log checks.
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { PrivatePostgres, PrivateRedis, System, waitFor, type AppProcess } from "@jobstream/testing";
import { launchSystem } from "@jobstream/testing/fixtures";

/** Where the processes the outage tests start live. */
export const appDirs = {
  api: fileURLToPath(new URL("../../api", import.meta.url)),
  worker: fileURLToPath(new URL("..", import.meta.url)),
  launcher: fileURLToPath(new URL("../../../tooling/launcher", import.meta.url)),
};

/**
 * A test file's own Redis and Postgres, which its tests stop and start (the shared servers are
 * never stopped), and a System on them per test with no process yet: each test starts its own
 * while the servers are down.
 */
export const outageTest = test
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
  .extend("sys", async ({ redis, postgres }, { onCleanup }) => {
    const { sys } = await launchSystem(new System(redis.url, postgres.adminUrl), onCleanup, () => Promise.resolve());
    return sys;
  })
  .extend("member", ({ sys }) => sys.token({ sub: randomUUID(), org: randomUUID(), role: "member" }));

export interface Servers {
  redis: PrivateRedis;
  postgres: PrivatePostgres;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function alive(p: AppProcess): boolean {
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
export async function waitForChecks(bases: string[], checks: { redis: string; postgres: string }): Promise<void> {
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

export function count(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

/** Each state change logged, and only a handful of times — not once per failed command. */
export function expectQuietLogs(name: string, output: string): void {
  for (const msg of ["redis down", "redis back", "postgres down", "postgres back"]) {
    const n = count(output, `"msg":"${msg}"`);
    expect(n, `${name}: "${msg}" lines`).toBeGreaterThanOrEqual(1);
    expect(n, `${name}: "${msg}" lines`).toBeLessThanOrEqual(6);
  }
  expect(output).not.toMatch(/unhandled rejection|uncaught/);
  expect(count(output, '"stack":'), `${name}: stack traces`).toBeLessThanOrEqual(5);
}
