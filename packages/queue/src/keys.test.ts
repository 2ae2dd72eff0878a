import { describe, expect, it } from "vitest";
import { keysFor } from "./keys";

describe("keysFor", () => {
  it("keeps the names of earlier releases on one server", () => {
    const keys = keysFor("js", false);
    expect([
      keys.bullPrefix("import"),
      keys.bullQueueKey("import"),
      keys.events("import", 0),
      keys.seq("import", 0),
    ]).toEqual(["js", "js:import", "js:~events:import", "js:~seq:import"]);
  });

  it("gives each queue one hash tag on a cluster: BullMQ's keys, its stream and its counters", () => {
    const keys = keysFor("js", true);
    expect([
      keys.bullPrefix("import"),
      keys.bullQueueKey("import"),
      keys.events("import", 0),
      keys.seq("import", 0),
    ]).toEqual(["js:{import}", "js:{import}:import", "js:~events:{import}", "js:~seq:{import}"]);
  });

  it("names a queue's shard as its own slot group, so shards can live on different nodes", () => {
    expect(keysFor("js", true).events("import", 2)).toBe("js:~events:{import#2}");
    expect(keysFor("js", false).events("import", 2)).toBe("js:~events:import#2");
  });
});

describe("keysFor with queue groups", () => {
  const groups = new Map([
    ["import", "synthetic"],
    ["synthetic", "synthetic"],
  ]);

  it("gives a group's queues its first member's tag on a cluster; other queues and streams keep theirs", () => {
    const keys = keysFor("js", true, groups);
    expect([keys.bullPrefix("synthetic"), keys.bullPrefix("import"), keys.bullPrefix("bulk")]).toEqual([
      "js:{synthetic}",
      "js:{synthetic}",
      "js:{bulk}",
    ]);
    expect(keys.bullQueueKey("import")).toBe("js:{synthetic}:import");
    expect([keys.bullTag("import"), keys.bullTag("synthetic"), keys.bullTag("bulk")]).toEqual([
      "synthetic",
      "synthetic",
      "bulk",
    ]);
    // Event streams are not part of flows: each queue's stays in its own slot.
    expect(keys.events("import", 0)).toBe("js:~events:{import}");
  });

  it("changes nothing on one server", () => {
    const keys = keysFor("js", false, groups);
    expect([keys.bullPrefix("import"), keys.bullQueueKey("import"), keys.bullTag("import")]).toEqual([
      "js",
      "js:import",
      null,
    ]);
  });
});
