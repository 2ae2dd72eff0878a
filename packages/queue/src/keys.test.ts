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
