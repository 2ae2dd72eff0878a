import { randomBytes } from "node:crypto";
import { Cluster, Redis } from "ioredis";
import { testEnv } from "./env";

/** A BullMQ key prefix of the test's own, so tests never see each other's keys. */
export function testQueuePrefix(): string {
  return `jstest-${randomBytes(5).toString("hex")}`;
}

/** The cluster's seed nodes when tests run on a Redis Cluster and `url` is the default Redis. */
export function clusterNodesFor(url: string): string | undefined {
  return url === testEnv.redisUrl ? testEnv.redisClusterNodes : undefined;
}

/**
 * A connection for test code to the Redis the system under test uses: the cluster in cluster
 * runs (see `clusterNodesFor`), else `url`.
 */
export function testRedis(
  url = testEnv.redisUrl,
  options: { maxRetriesPerRequest?: number | null } = {},
): Redis | Cluster {
  const nodes = clusterNodesFor(url);
  if (nodes === undefined) return new Redis(url, options);
  const seeds = nodes
    .split(",")
    .map((n) => ({ host: n.slice(0, n.lastIndexOf(":")), port: Number(n.slice(n.lastIndexOf(":") + 1)) }));
  return new Cluster(seeds, { redisOptions: options });
}

/** Deletes every key under the prefix (and nothing else); on a cluster, on every master. */
export async function deletePrefix(prefix: string, url = testEnv.redisUrl): Promise<number> {
  const redis = testRedis(url, { maxRetriesPerRequest: 1 });
  try {
    const masters = redis instanceof Cluster ? await clusterMasters(redis) : [redis];
    const counts = await Promise.all(masters.map((node) => deleteOn(node, prefix)));
    return counts.reduce((a, b) => a + b, 0);
  } finally {
    redis.disconnect();
  }
}

async function clusterMasters(cluster: Cluster): Promise<Redis[]> {
  if (cluster.status !== "ready") await new Promise((resolve) => cluster.once("ready", resolve));
  return cluster.nodes("master");
}

/** SCAN goes to one node; each key is unlinked on its own (keys of one node may be in many slots). */
async function deleteOn(node: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = "0";
  do {
    const [next, keys] = await node.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
    cursor = next;
    const counts = await Promise.all(keys.map((key) => node.unlink(key)));
    deleted += counts.reduce((a, b) => a + b, 0);
  } while (cursor !== "0");
  return deleted;
}
