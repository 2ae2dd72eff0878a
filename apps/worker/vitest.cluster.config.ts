import { vitestClusterConfig } from "@jobstream/vitest-config/cluster";

// `pnpm test:cluster`: the engine's, mirror's and recovery suites on a local Redis Cluster
// (test/cluster-failover.int.test.ts starts a cluster of its own and runs with every `pnpm test`).
export default vitestClusterConfig({
  include: ["test/engine.int.test.ts", "test/flows.int.test.ts", "test/crash.int.test.ts", "test/cancel.int.test.ts"],
});
