import { Redis, type RedisOptions } from "ioredis";

export type { Redis } from "ioredis";

export interface RedisConnectionOptions {
  readonly url: string;
  /**
   * Producers and health checks fail fast when Redis is down; BullMQ workers must instead wait
   * for it (`maxRetriesPerRequest: null`, BullMQ's production guide).
   * @defaultValue "producer"
   */
  readonly purpose?: "producer" | "worker";
  readonly connectionName?: string;
}

export function createRedis(options: RedisConnectionOptions): Redis {
  const common: RedisOptions = {
    connectionName: options.connectionName,
    lazyConnect: false,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  };
  const purpose: RedisOptions =
    options.purpose === "worker"
      ? { maxRetriesPerRequest: null, enableOfflineQueue: true }
      : { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000 };
  return new Redis(options.url, { ...common, ...purpose });
}

/** QUIT when connected (flushes pending replies), else just drop the socket and stop reconnecting. */
export async function closeRedis(redis: Redis): Promise<void> {
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
export async function redisReady(redis: Redis, timeoutMs: number): Promise<boolean> {
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
  ].join("|"),
  "i",
);

/** True for ioredis errors that mean "Redis is not reachable right now" (answer 503, not 500). */
export function isRedisUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === "MaxRetriesPerRequestError") return true;
  return REDIS_UNAVAILABLE_TEXT.test(error.message);
}
