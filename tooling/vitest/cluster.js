// The `test:cluster` runs: the given integration files again, on a local Redis Cluster that the
// global setup starts once per run (see tooling/testing/src/cluster-setup.ts).
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** @param {{ include: string[] }} options the files that run on the cluster. */
export function vitestClusterConfig(options) {
  return defineConfig({
    test: {
      include: options.include,
      globalSetup: [fileURLToPath(new URL("../testing/src/cluster-setup.ts", import.meta.url))],
      testTimeout: 180_000,
      hookTimeout: 90_000,
      reporters: ["default", "json"],
      outputFile: { json: "test-results/vitest-cluster.json" },
    },
  });
}
