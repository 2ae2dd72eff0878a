import { describe, expect, it } from "vitest";
import { loadEnv } from "./env";

describe("REDIS_CLUSTER_QUEUE_GROUPS", () => {
  it("maps each grouped type to its group's first member; unset means no groups", () => {
    expect([...loadEnv({ REDIS_CLUSTER_QUEUE_GROUPS: "synthetic+import" }).REDIS_CLUSTER_QUEUE_GROUPS]).toEqual([
      ["synthetic", "synthetic"],
      ["import", "synthetic"],
    ]);
    expect(loadEnv({}).REDIS_CLUSTER_QUEUE_GROUPS.size).toBe(0);
  });

  it.each([
    ["synthetic+nope", /REDIS_CLUSTER_QUEUE_GROUPS: "nope" is not a job type/],
    ["synthetic+import,import+bulk", /REDIS_CLUSTER_QUEUE_GROUPS: "import" appears more than once/],
    ["synthetic;import", /REDIS_CLUSTER_QUEUE_GROUPS: .*group of one/],
  ])("refuses %s at start-up, naming the variable", (value, message) => {
    expect(() => loadEnv({ REDIS_CLUSTER_QUEUE_GROUPS: value })).toThrow(message);
  });
});

describe("KEEP_COMPLETED_SECONDS", () => {
  it("defaults to an hour and takes what is set", () => {
    expect(loadEnv({}).KEEP_COMPLETED_SECONDS).toBe(3600);
    expect(loadEnv({ KEEP_COMPLETED_SECONDS: "600", RECONCILE_AFTER_MS: "60000" }).KEEP_COMPLETED_SECONDS).toBe(600);
  });

  it.each([
    [
      { KEEP_COMPLETED_SECONDS: "100" },
      /KEEP_COMPLETED_SECONDS: must be at least twice RECONCILE_AFTER_MS \(60000 ms\)/,
    ],
    [{ KEEP_COMPLETED_SECONDS: "10" }, /KEEP_COMPLETED_SECONDS: .*>=60/],
    [{ KEEP_COMPLETED_SECONDS: "soon" }, /KEEP_COMPLETED_SECONDS: /],
  ])("refuses %j at start-up, naming the variable", (source, message) => {
    expect(() => loadEnv(source)).toThrow(message);
  });
});
