/** Servers the tests use; each test creates what it needs there and removes only that. */
export const testEnv = {
  adminDatabaseUrl: process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
  redisUrl: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
  /**
   * `host:port,…` of a Redis Cluster (set by the `cluster-setup` global setup, `test:cluster`):
   * systems and helpers on the default Redis then run on the cluster instead.
   */
  redisClusterNodes: process.env.TEST_REDIS_CLUSTER_NODES,
  /** Children get PATH only, plus what the test passes: no stray configuration leaks in. */
  path: process.env.PATH ?? "",
};

/** Names a Redis Cluster to the test processes started after this (the cluster global setup). */
export function shareClusterNodes(nodes: string): void {
  process.env.TEST_REDIS_CLUSTER_NODES = nodes;
}
