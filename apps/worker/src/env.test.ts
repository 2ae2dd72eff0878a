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
