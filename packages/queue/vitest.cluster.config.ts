import { vitestClusterConfig } from "@jobstream/vitest-config/cluster";

// `pnpm test:cluster`: the publisher's Lua scripts on a local Redis Cluster.
export default vitestClusterConfig({ include: ["test/**/*.int.test.ts"] });
