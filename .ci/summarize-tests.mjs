// Sums the per-package vitest JSON reports into the one closing line CI reads.
import { existsSync, readdirSync, readFileSync } from "node:fs";

const files = ["apps", "packages", "tooling"]
  .flatMap((group) =>
    existsSync(group)
      ? readdirSync(group).flatMap((name) =>
          // vitest-cluster.json: the same suites again on a Redis Cluster (`test:cluster`).
          ["vitest.json", "vitest-cluster.json"].map((report) => `${group}/${name}/test-results/${report}`),
        )
      : [],
  )
  .filter((file) => existsSync(file));
let passed = 0;
let failed = 0;
let skipped = 0;
const failing = [];
const failedTests = [];
const firstLine = (text) => (text ?? "").split("\n").find((line) => line.trim() !== "") ?? "(no message)";
for (const file of files) {
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  // `pnpm test` goes on past a failing package (turbo --continue): name each one that failed.
  if (report.numFailedTests > 0 || report.numFailedTestSuites > 0) {
    const where = file.replace("/test-results/vitest.json", "").replace("/test-results/", " ");
    failing.push(`${where} (${report.numFailedTests} tests, ${report.numFailedTestSuites} files failed)`);
    // Each failed test with the first line of its error, so a failure in a long log is found at once.
    for (const suite of report.testResults ?? []) {
      const tests = (suite.assertionResults ?? []).filter((t) => t.status === "failed");
      if (tests.length === 0 && suite.status === "failed")
        failedTests.push(`${suite.name}: ${firstLine(suite.message)}`);
      for (const t of tests) failedTests.push(`${suite.name} > ${t.fullName}: ${firstLine(t.failureMessages?.[0])}`);
    }
  }
}
if (files.length === 0) {
  console.error("no test reports found");
  process.exit(1);
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failing.length > 0) console.log(`failing packages: ${failing.join(", ")}`);
for (const line of failedTests) console.log(`failed: ${line.slice(0, 400)}`);
process.exit(failed > 0 || failing.length > 0 || passed === 0 ? 1 : 0);
