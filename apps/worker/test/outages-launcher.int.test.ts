// The same outages for `pnpm start`'s process set: the launcher waits for Postgres, its children ride
// out both outages, a dead child is restarted, and Ctrl-C stops everything cleanly.
import { expect } from "vitest";
import { startApp, waitFor } from "@jobstream/testing";
import { alive, appDirs, count, outageTest as it, waitForChecks } from "./outage-fixture";
import { enqueueMany, expectAllCorrect, outagesMidRun } from "./outage-workload";

it("waits for Postgres, rides out outages in every role, restarts a dead child, and stops cleanly", async ({
  sys,
  member: token,
  redis,
  postgres,
}) => {
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
  const launcher = startApp(appDirs.launcher, env, "src/start.ts");
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
