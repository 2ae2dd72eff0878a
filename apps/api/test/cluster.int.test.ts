import { randomBytes } from "node:crypto";
import { get } from "node:http";
import { fileURLToPath } from "node:url";
import { describe, expect, onTestFinished } from "vitest";
import { startApp, waitFor, type AppProcess } from "@jobstream/testing";
import { appEnv, resourceTest } from "@jobstream/testing/fixtures";

const appDir = fileURLToPath(new URL("..", import.meta.url));
const secret = randomBytes(32).toString("base64url");
const it = resourceTest.extend("env", ({ database, prefix, servers }) =>
  appEnv(
    { database, prefix, servers },
    { JWT_SECRET: secret, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", API_PROCESSES: "2" },
  ),
);

/** The JSON log lines of a process whose `msg` is `msg`. */
function logLines(app: AppProcess, msg: string): Record<string, unknown>[] {
  return app
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line) => line.msg === msg);
}

/** A GET on a connection of its own (no keep-alive): the primary hands each one to a worker in turn. */
function fetchFresh(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: false, timeout: 15_000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on("timeout", () => req.destroy(new Error(`no answer from ${url}`)));
    req.on("error", reject);
  });
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("API_PROCESSES=2", () => {
  // Starting three processes takes a while on a busy machine: this test has a longer bound.
  it(
    "serves one port from two processes, with metrics of both; a killed one is replaced; SIGTERM stops all",
    {
      timeout: 240_000,
    },
    async ({ env }) => {
      const app = startApp(appDir, env);
      // Also when the test times out: the primary's workers end with it (their channel closes).
      onTestFinished(() => {
        app.kill("SIGKILL");
      });
      const workers = await waitFor(
        "two api processes listening",
        () => {
          const lines = logLines(app, "api listening");
          return lines.length >= 2 ? lines : undefined;
        },
        { timeoutMs: 90_000 },
      );
      const ports = new Set(workers.map((w) => w.port));
      expect(ports.size).toBe(1);
      const base = `http://127.0.0.1:${String(workers[0]?.port)}`;
      const pids = workers.map((w) => Number(w.pid));
      expect(pids).not.toContain(app.child.pid);

      // Every request counted, whichever process answered it: the scrape sums both.
      const requests = 10;
      for (let i = 0; i < requests; i++) expect((await fetchFresh(`${base}/healthz`)).status).toBe(200);
      const metrics = await fetchFresh(`${base}/metrics`);
      expect(metrics.status).toBe(200);
      const count = /jobstream_http_request_duration_seconds_count\{[^}]*route="\/healthz"[^}]*\} (\d+)/.exec(
        metrics.body,
      );
      expect(Number(count?.[1])).toBe(requests);
      // A gauge every process reads the same is not multiplied by the number of processes.
      expect(metrics.body).toMatch(/^jobstream_outbox_backlog 0$/m);

      const [victim] = pids;
      if (victim === undefined) throw new Error("no api process");
      process.kill(victim, "SIGKILL");
      // Once the primary has seen it die (a connection handed to it meanwhile is lost), the other
      // process answers every request while the primary starts a replacement.
      await waitFor(
        "the primary to see the process die",
        () => logLines(app, "api process exited; starting another").length === 1,
      );
      for (let i = 0; i < 10; i++) expect((await fetchFresh(`${base}/healthz`)).status).toBe(200);
      await waitFor("a replacement api process", () => logLines(app, "api listening").length >= 3, {
        timeoutMs: 90_000,
      });
      for (let i = 0; i < 10; i++) expect((await fetchFresh(`${base}/healthz`)).status).toBe(200);

      const running = logLines(app, "api listening")
        .map((w) => Number(w.pid))
        .filter((pid) => pid !== victim);
      app.kill("SIGTERM");
      expect(await app.exited(30_000)).toBe(0);
      for (const pid of running) expect(isAlive(pid)).toBe(false);
      expect(logLines(app, "stopped")).toHaveLength(3); // both workers and the primary
    },
  );
});
