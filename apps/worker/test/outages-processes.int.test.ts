// Redis and Postgres go out — Redis comes back EMPTY — while every role starts as its own process,
// and again while jobs run. Against a Redis and a Postgres this file starts itself.
import { expect } from "vitest";
import { startApp } from "@jobstream/testing";
import { alive, appDirs, expectQuietLogs, outageTest as it, sleep, waitForChecks } from "./outage-fixture";
import { expectAllCorrect, outagesMidRun } from "./outage-workload";

it("every role waits through outages at start-up and mid-run, and every accepted job ends correct", async ({
  sys,
  member: token,
  redis,
  postgres,
}) => {
  await redis.stop();
  await postgres.stop("fast");

  const env = sys.env({ ENABLE_SYNTHETIC_JOBS: "true" });
  const api = startApp(appDirs.api, { ...env, PORT: "0", HOST: "127.0.0.1" });
  sys.workers.push(api);
  const roles = ["work", "mirror", "housekeep"].map((role) => {
    const worker = startApp(appDirs.worker, { ...env, ROLES: role, HEALTH_PORT: "0", HEALTH_HOST: "127.0.0.1" });
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
