import { spawnSync } from "node:child_process";
import { mkdir } from "node:fs/promises";
import { redisAnswers, startRedisServer, stopRedisServer } from "./redis-server";
import { dataDir } from "./paths";

const DEFAULT_URL = "redis://127.0.0.1:6379";

export interface RedisHandle {
  readonly url: string;
  stop(): Promise<void>;
}

function hasRedisServer(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

/**
 * A configured REDIS_URL that does not answer yet is used anyway: every process waits for Redis
 * (and rides out its outages) on its own, answering "not ready" meanwhile. Otherwise
 * localhost:6379 is used, started from `redis-server` when it is installed, else the launcher
 * says exactly what to run.
 */
export async function ensureRedis(configured: string | undefined): Promise<RedisHandle> {
  const url = configured ?? DEFAULT_URL;
  if (await redisAnswers(url)) return { url, stop: () => Promise.resolve() };
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
  const child = await startRedisServer({ port: 6379, dir: `${dataDir}/redis` });
  console.log("launcher: started redis-server on 127.0.0.1:6379 (data in .data/redis)");
  return { url, stop: () => stopRedisServer(child) };
}
