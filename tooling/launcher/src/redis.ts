import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { Redis } from "ioredis";
import { dataDir } from "./paths";

const DEFAULT_URL = "redis://127.0.0.1:6379";

export interface RedisHandle {
  readonly url: string;
  stop(): Promise<void>;
}

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    connectTimeout: 2000,
  });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

function hasRedisServer(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

async function waitFor(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    if (await answers(url)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("redis-server did not answer in time");
}

/**
 * A configured REDIS_URL that does not answer yet is used anyway: every process waits for Redis
 * (and rides out its outages) on its own, answering "not ready" meanwhile. Otherwise
 * localhost:6379 is used, started from `redis-server` when it is installed, else the launcher
 * says exactly what to run.
 */
export async function ensureRedis(configured: string | undefined): Promise<RedisHandle> {
  const url = configured ?? DEFAULT_URL;
  if (await answers(url)) return { url, stop: () => Promise.resolve() };
  if (configured !== undefined) {
    console.log(`launcher: Redis at ${new URL(configured).host} does not answer yet; the processes wait for it`);
    return { url, stop: () => Promise.resolve() };
  }
  if (!hasRedisServer()) {
    throw new Error(
      "no Redis answers on 127.0.0.1:6379 and redis-server is not installed. Install and start it:\n" +
        "  apt-get install -y redis-server && redis-server --daemonize yes --bind 127.0.0.1 --port 6379\n" +
        "or set REDIS_URL to a Redis you run.",
    );
  }
  await mkdir(`${dataDir}/redis`, { recursive: true });
  // Jobs live in Redis until they finish: keep an append-only file so a restart loses none.
  const child = spawn(
    "redis-server",
    [
      "--bind",
      "127.0.0.1",
      "--port",
      "6379",
      "--dir",
      `${dataDir}/redis`,
      "--appendonly",
      "yes",
      "--save",
      "",
      "--maxmemory-policy",
      "noeviction",
    ],
    { stdio: "ignore" },
  );
  await waitFor(url, child, 10_000);
  console.log("launcher: started redis-server on 127.0.0.1:6379 (data in .data/redis)");
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) {
          resolve();
          return;
        }
        child.once("exit", () => {
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}
