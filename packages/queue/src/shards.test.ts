import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { shardOf, streamName } from "./shards";

const ids = Array.from({ length: 4000 }, () => randomUUID());

describe("shardOf", () => {
  it("is shard 0 for an unsharded queue", () => {
    expect(ids.every((id) => shardOf(id, 1) === 0)).toBe(true);
  });

  it("is stable: the same job id always lands on the same shard", () => {
    const id = "4b9f0b8e-58a3-4c3b-9a57-0e2f3a1f2d10";
    expect(shardOf(id, 4)).toBe(shardOf(id, 4));
    // Fixed, so publishers and mirrors of different versions agree.
    expect([1, 2, 4, 8, 16].map((n) => shardOf(id, n))).toMatchSnapshot();
  });

  it("spreads job ids evenly over the shards", () => {
    const counts = [0, 0, 0, 0];
    for (const id of ids) counts[shardOf(id, 4)] = (counts[shardOf(id, 4)] ?? 0) + 1;
    for (const count of counts) expect(count).toBeGreaterThan(ids.length / 4 - 200);
    for (const count of counts) expect(count).toBeLessThan(ids.length / 4 + 200);
  });

  it("moves only the jobs a new shard takes when the count grows", () => {
    for (const [from, to] of [
      [1, 2],
      [4, 5],
      [4, 8],
    ] as const) {
      const moved = ids.filter((id) => shardOf(id, from) !== shardOf(id, to));
      // Jump hash moves exactly those that go to a new shard.
      expect(moved.every((id) => shardOf(id, to) >= from)).toBe(true);
      expect(moved.length).toBeLessThan(ids.length * (1 - from / to) + 200);
    }
  });
});

describe("streamName", () => {
  it("keeps the queue's name for shard 0 and adds the shard after it", () => {
    expect(streamName("import", 0)).toBe("import");
    expect(streamName("import", 3)).toBe("import#3");
  });
});
