import { createServer } from "node:net";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect } from "vitest";
import { startApp } from "@jobstream/testing";
import { appEnv, resourceTest } from "@jobstream/testing/fixtures";

const appDir = fileURLToPath(new URL("..", import.meta.url));
/** A worker's environment on the file's database and the test's own key prefix. */
const it = resourceTest.extend("env", ({ database, prefix, servers }) =>
  appEnv({ database, prefix, servers }, { HEALTH_PORT: "0", HEALTH_HOST: "127.0.0.1" }),
);

describe("worker process", () => {
  it("rejects unknown roles and bad concurrency overrides, naming them", async ({ env }) => {
    const app = startApp(appDir, { ...env, ROLES: "work,juggle", CONCURRENCY_SYNTHETIC: "0" });
    expect(await app.exited()).toBe(78); // EX_CONFIG: a supervisor does not restart it
    expect(app.output()).toMatch(/ROLES: unknown role "juggle"/);
    expect(app.output()).toMatch(/CONCURRENCY_SYNTHETIC:/);
  });

  it("refuses to run with only the api role", async ({ env }) => {
    const app = startApp(appDir, { ...env, ROLES: "api" });
    expect(await app.exited()).toBe(78); // EX_CONFIG: a supervisor does not restart it
    expect(app.output()).toMatch(/ROLES: the worker process needs one of work, mirror, housekeep/);
  });

  it("runs the requested roles, answers health probes and stops on SIGTERM with exit 0", async ({ env }) => {
    const app = startApp(appDir, { ...env, ROLES: "work,mirror" });
    const started = await app.waitForLog("worker started");
    expect(started.roles).toEqual(["work", "mirror"]);
    const base = `http://127.0.0.1:${String(started.healthPort)}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { redis: "ok", postgres: "ok" } });
    const missing = await fetch(`${base}/nope`);
    expect(missing.status).toBe(404);
    app.kill("SIGTERM");
    expect(await app.exited()).toBe(0);
  });
  it("runs two workers on one host without HEALTH_PORT, each on its own health port", async ({ env }) => {
    const { HEALTH_PORT: _unset, ...withoutPort } = env;
    const first = startApp(appDir, { ...withoutPort, ROLES: "work" });
    const second = startApp(appDir, { ...withoutPort, ROLES: "work" });
    try {
      const ports = await Promise.all(
        [first, second].map(async (app) => (await app.waitForLog("worker started")).healthPort),
      );
      expect(ports[0]).not.toBe(ports[1]);
      for (const port of ports) {
        expect(port).toBeGreaterThanOrEqual(3001);
        expect((await fetch(`http://127.0.0.1:${String(port)}/readyz`)).status).toBe(200);
      }
    } finally {
      first.kill("SIGTERM");
      second.kill("SIGTERM");
    }
    expect(await first.exited()).toBe(0);
    expect(await second.exited()).toBe(0);
  });

  it("fails with a clear message when an explicit HEALTH_PORT is taken", async ({ env }) => {
    const blocker = createServer();
    blocker.listen(0, "127.0.0.1");
    await once(blocker, "listening");
    const address = blocker.address();
    const port = typeof address === "object" && address !== null ? address.port : 0;
    try {
      const app = startApp(appDir, { ...env, ROLES: "work", HEALTH_PORT: String(port) });
      expect(await app.exited()).toBe(78); // EX_CONFIG: a supervisor does not restart it
      expect(app.output()).toContain(`HEALTH_PORT ${String(port)} is in use`);
    } finally {
      blocker.close();
    }
  });
});
