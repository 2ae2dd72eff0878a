import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalRedisCluster } from "./redis-cluster";
import { redisAnswers, startRedisServer, stopRedisServer } from "./redis-server";
import { dataDir } from "./paths";

const DEFAULT_URL = "redis://127.0.0.1:6379";

export interface RedisHandle {
  /** What the processes get: `REDIS_URL`, or `REDIS_CLUSTER_NODES` for a cluster. */
  readonly env: Record<string, string>;
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
  const env = { REDIS_URL: url };
  if (await redisAnswers(url)) return { env, stop: () => Promise.resolve() };
  if (configured !== undefined) {
    console.log(`launcher: Redis at ${new URL(configured).host} does not answer yet; the processes wait for it`);
    return { env, stop: () => Promise.resolve() };
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
  return { env, stop: () => stopRedisServer(child) };
}

/**
 * `REDIS_CLUSTER=local`: a 3-master + 3-replica Redis Cluster on free ports in a temp dir, gone
 * when the launcher stops (development and demos; its data does not survive). Otherwise the
 * configured `REDIS_CLUSTER_NODES` are passed on as they are: the processes wait for the cluster.
 */
export async function ensureRedisCluster(local: boolean, nodes: string | undefined): Promise<RedisHandle> {
  if (!local) return { env: { REDIS_CLUSTER_NODES: nodes ?? "" }, stop: () => Promise.resolve() };
  if (!hasRedisServer())
    throw new Error("REDIS_CLUSTER=local needs redis-server and redis-cli (apt-get install redis-server)");
  const dir = await mkdtemp(join(tmpdir(), "jobstream-cluster-"));
  const cluster = await LocalRedisCluster.start({ dir });
  console.log(`launcher: started a local Redis Cluster (3 masters, 3 replicas): ${cluster.nodesText}`);
  return {
    env: { REDIS_CLUSTER_NODES: cluster.nodesText },
    stop: async () => {
      await cluster.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
