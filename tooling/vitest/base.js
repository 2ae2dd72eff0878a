// Shared vitest settings: unit tests next to the code, integration tests in test/, and a JSON
// report per package that .ci/run sums into one "N passed, N failed" line.
import { defineConfig } from "vitest/config";

/** @param {{ slow?: boolean }} [options] slow: integration tests that start processes. */
export function vitestConfig(options = {}) {
  return defineConfig({
    test: {
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      testTimeout: options.slow ? 120_000 : 30_000,
      hookTimeout: 60_000,
      reporters: ["default", "json"],
      outputFile: { json: "test-results/vitest.json" },
    },
  });
}
