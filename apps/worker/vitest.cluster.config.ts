import { vitestClusterConfig } from "@jobstream/vitest-config/cluster";

// `pnpm test:cluster`: the engine (enqueue → execute → mirror), flows (within a queue, and across job
// types grouped in REDIS_CLUSTER_QUEUE_GROUPS, and a change of the groups) and cancel suites on a local
// Redis Cluster.
// test/cluster-failover.int.test.ts (a master killed mid-run) starts a cluster of its own and runs
// with every `pnpm test`.
export default vitestClusterConfig({
  include: [
    "test/engine.int.test.ts",
    "test/flows.int.test.ts",
    "test/flows-slots.int.test.ts",
    "test/flows-regroup.int.test.ts",
    "test/cancel.int.test.ts",
  ],
});
