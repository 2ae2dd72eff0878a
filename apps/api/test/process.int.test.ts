import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { describe, expect } from "vitest";
import { startApp } from "@jobstream/testing";
import { appEnv, resourceTest } from "@jobstream/testing/fixtures";

const appDir = fileURLToPath(new URL("..", import.meta.url));
const secret = randomBytes(32).toString("base64url");
/** An API's environment on the file's database and the test's own key prefix. */
const it = resourceTest.extend("env", ({ database, prefix, servers }) =>
  appEnv({ database, prefix, servers }, { JWT_SECRET: secret, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info" }),
);

describe("api process", () => {
  it("refuses to start without JWT_SECRET, naming it", async ({ env }) => {
    const { JWT_SECRET: _unset, ...withoutSecret } = env;
    const app = startApp(appDir, withoutSecret);
    expect(await app.exited()).toBe(78); // EX_CONFIG: a supervisor does not restart it
    expect(app.output()).toMatch(/JWT_SECRET: is required/);
  });

  it("names every bad variable", async ({ env }) => {
    const app = startApp(appDir, {
      ...env,
      DATABASE_URL: "mysql://x",
      DATABASE_READ_URL: "replica",
      REPLICA_MAX_LAG_MS: "-1",
      PORT: "99999",
      LOG_LEVEL: "loud",
    });
    expect(await app.exited()).toBe(78); // EX_CONFIG: a supervisor does not restart it
    const out = app.output();
    expect(out).toMatch(/DATABASE_URL: must be a postgres/);
    expect(out).toMatch(/DATABASE_READ_URL:/);
    expect(out).toMatch(/REPLICA_MAX_LAG_MS:/);
    expect(out).toMatch(/PORT:/);
    expect(out).toMatch(/LOG_LEVEL:/);
    expect(out).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("refuses a flag that is not true or false, and negative quotas", async ({ env }) => {
    const app = startApp(appDir, {
      ...env,
      ENABLE_SYNTHETIC_JOBS: "yes",
      ORG_MAX_UNFINISHED_JOBS: "-1",
      ORG_ENQUEUE_PER_MINUTE: "lots",
    });
    expect(await app.exited()).toBe(78); // EX_CONFIG: a supervisor does not restart it
    const out = app.output();
    for (const name of ["ENABLE_SYNTHETIC_JOBS", "ORG_MAX_UNFINISHED_JOBS", "ORG_ENQUEUE_PER_MINUTE"])
      expect(out).toMatch(new RegExp(`${name}:`));
  });

  it("answers /healthz and /readyz, then stops on SIGTERM with exit 0", async ({ env }) => {
    const app = startApp(appDir, env);
    const listening = await app.waitForLog("api listening");
    const base = `http://127.0.0.1:${String(listening.port)}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { redis: "ok", postgres: "ok" } });
    app.kill("SIGTERM");
    expect(await app.exited()).toBe(0);
    expect(app.output()).toContain('"msg":"stopped"');
  });

  it("is not ready while migrations are pending or Redis is unreachable", async ({ env, servers }) => {
    const name = `jobstream_empty_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: servers.adminDatabaseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    try {
      const url = new URL(servers.adminDatabaseUrl);
      url.pathname = `/${name}`;
      // Port 1 on loopback: nothing listens there, so the connection is refused at once.
      const app = startApp(appDir, { ...env, DATABASE_URL: url.toString(), REDIS_URL: "redis://127.0.0.1:1" });
      const listening = await app.waitForLog("api listening");
      const res = await fetch(`http://127.0.0.1:${String(listening.port)}/readyz`);
      expect(res.status).toBe(503);
      const text = await res.text();
      const body = JSON.parse(text) as {
        status: string;
        checks: unknown;
        pendingMigrations: string[];
        error: { code: string };
      };
      expect(body.status).toBe("unavailable");
      expect(body.error.code).toBe("unavailable");
      // Which dependency is out, never the driver's error text (that goes to the log).
      expect(body.checks).toEqual({ redis: "down", postgres: "migrations_pending" });
      expect(body.pendingMigrations.length).toBeGreaterThan(0);
      expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1:1/);
      await app.waitForLog("redis down");
      app.kill("SIGTERM");
      expect(await app.exited()).toBe(0);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
    }
  });
});
