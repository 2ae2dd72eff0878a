import { keysFor, type Keys } from "@jobstream/queue";
import { isCluster, type RedisClient } from "@jobstream/runtime";
import { testRedis, type System } from "@jobstream/testing";

export interface SystemRedis {
  readonly client: RedisClient;
  readonly keys: Keys;
}

/**
 * A file fixture: a connection for test code to a system's Redis (the run's cluster in cluster
 * runs) and the keys its processes use there (hash-tagged on a cluster). Commands sent on it must
 * each stay in one slot: no multi-key commands or pipelines across queues.
 */
export function systemRedis(
  { sys }: { sys: System },
  { onCleanup }: { onCleanup: (cleanup: () => void) => void },
): SystemRedis {
  const redis = testRedis(sys.redisUrl);
  onCleanup(() => {
    redis.disconnect();
  });
  return { client: redis, keys: keysFor(sys.prefix, isCluster(redis)) };
}
