import { vitestClusterConfig } from "@jobstream/vitest-config/cluster";

// `pnpm test:cluster`: integration suites again on one local Redis Cluster (docs/redis-cluster.md):
// the engine (enqueue → execute → mirror), flows (within a queue, and across job types grouped in
// REDIS_CLUSTER_QUEUE_GROUPS, and a change of the groups) and cancel; a worker process killed
// mid-job and its job finished by another (crash); the mirror fed malformed entries
// (mirror-poison), two mirrors on a sharded queue with one killed (mirror-shards), the mirror down
// while jobs run and the queue's keys deleted mid-run (recovery); schedules, metrics and fair share
// off. test/cluster-failover.int.test.ts (a master killed mid-run) starts a cluster of its own and
// runs with every `pnpm test`. Suites that start and stop a Redis server of their own for an
// outage (redis-outage, outages-launcher, outages-processes) stay on one server: what they prove
// is a server going away and coming back, which on a cluster is the failover test's master kill.
export default vitestClusterConfig({
  include: [
    "test/engine.int.test.ts",
    "test/flows.int.test.ts",
    "test/flows-slots.int.test.ts",
    "test/flows-regroup.int.test.ts",
    "test/cancel.int.test.ts",
    "test/crash.int.test.ts",
    "test/mirror-poison.int.test.ts",
    "test/mirror-shards.int.test.ts",
    "test/recovery.int.test.ts",
    "test/schedules.int.test.ts",
    "test/metrics.int.test.ts",
    "test/fair-share-off.int.test.ts",
  ],
});
