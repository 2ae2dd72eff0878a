import { Cluster, Redis, type ClusterOptions, type RedisOptions } from "ioredis";
import type { RedisTarget } from "./redis-target";

export type { Redis } from "ioredis";

/** A connection to one Redis server or to a Redis Cluster: every Jobstream command works on both. */
export type RedisClient = Redis | Cluster;

export type RedisConnectionOptions = RedisTarget & {
  /**
   * Producers and health checks fail fast when Redis is down; BullMQ workers must instead wait
   * for it (`maxRetriesPerRequest: null`, BullMQ's production guide).
   * @defaultValue "producer"
   */
  readonly purpose?: "producer" | "worker";
  readonly connectionName?: string;
};

const reconnect = (times: number) => Math.min(times * 200, 2000);

export function createRedis(options: RedisConnectionOptions): RedisClient {
  const waits = options.purpose === "worker";
  const common: RedisOptions = { connectionName: options.connectionName, lazyConnect: false };
  const purpose: RedisOptions = waits
    ? { maxRetriesPerRequest: null, enableOfflineQueue: true }
    : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 };
  if ("url" in options) return new Redis(options.url, { ...common, ...purpose, retryStrategy: reconnect });
  return new Cluster([...options.clusterNodes], clusterOptions(waits, { ...common, ...purpose }));
}

/**
 * A master failover (its replica promoted after `cluster-node-timeout`) makes commands to the
 * dead master fail until the slot map is refreshed: a waiting connection retries them through it
 * (about 20 s of redirections), a producer gives up after about a second, as it does on one server.
 */
function clusterOptions(waits: boolean, redisOptions: RedisOptions): ClusterOptions {
  return {
    redisOptions,
    enableOfflineQueue: waits,
    clusterRetryStrategy: reconnect,
    retryDelayOnFailover: 200,
    retryDelayOnClusterDown: 200,
    retryDelayOnTryAgain: 200,
    maxRedirections: waits ? 100 : 5,
    slotsRefreshTimeout: 2000,
    // Every command goes to the master of its slot: replicas lag, and Jobstream reads its own writes.
    scaleReads: "master",
  };
}

/** True when the client talks to a Redis Cluster (keys then carry hash tags, see `keysFor`). */
export function isCluster(redis: RedisClient): redis is Cluster {
  return redis instanceof Cluster;
}

/** QUIT when connected (flushes pending replies), else just drop the socket and stop reconnecting. */
export async function closeRedis(redis: RedisClient): Promise<void> {
  if (redis.status === "ready") {
    await redis.quit();
  } else {
    redis.disconnect();
  }
}

/**
 * Resolves once the connection is ready, or after `timeoutMs` (false) — processes that must start
 * while Redis is down use this to avoid a burst of avoidable failures right after start-up.
 */
export async function redisReady(redis: RedisClient, timeoutMs: number): Promise<boolean> {
  if (redis.status === "ready") return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      redis.off("ready", onReady);
      resolve(false);
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    redis.once("ready", onReady);
  });
}

const REDIS_UNAVAILABLE_TEXT = new RegExp(
  [
    "Stream isn't writeable|Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH",
    "enableOfflineQueue|max retries per request|^LOADING",
    "^CLUSTERDOWN|^TRYAGAIN|Failed to refresh slots cache|Too many Cluster redirections|None of startup nodes",
  ].join("|"),
  "i",
);

/** True for ioredis errors that mean "Redis is not reachable right now" (answer 503, not 500). */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === "MaxRetriesPerRequestError") return true;
  return REDIS_UNAVAILABLE_TEXT.test(error.message);
}
