import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalRedisCluster } from "@jobstream/launcher/redis-cluster";
import { shareClusterNodes } from "./env";

/**
 * Vitest global setup of the `test:cluster` runs: one local 3-master + 3-replica Redis Cluster
 * for the whole run, named to every test process through `TEST_REDIS_CLUSTER_NODES` (see
 * `testEnv.redisClusterNodes`), so systems and helpers on the default Redis run on it instead.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), "jobstream-cluster-"));
  const cluster = await LocalRedisCluster.start({ dir });
  shareClusterNodes(cluster.nodesText);
  return async () => {
    await cluster.stop();
    await rm(dir, { recursive: true, force: true });
  };
}
