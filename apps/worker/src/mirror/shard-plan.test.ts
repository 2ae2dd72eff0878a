import { describe, expect, it } from "vitest";
import { planShards, shardWeight, type ShardView } from "./shard-plan";

const view = (over: Partial<ShardView>): ShardView => ({
  queue: "synthetic",
  mirrorId: "a",
  configured: 4,
  liveMirrors: 1,
  owned: [],
  leftovers: [],
  ...over,
});

describe("planShards", () => {
  it("takes every shard when it is the only live mirror", () => {
    const plan = planShards(view({}));
    expect(plan.share).toBe(4);
    expect([...plan.candidates].sort()).toEqual([0, 1, 2, 3]);
    expect(plan.release).toEqual([]);
  });

  it("the fair share is ceil(shards / live mirrors)", () => {
    const shares = [1, 2, 3, 4, 5, 8].map((live) => planShards(view({ liveMirrors: live })).share);
    expect(shares).toEqual([4, 2, 2, 1, 1, 1]);
    expect(planShards(view({ configured: 1, liveMirrors: 3 })).share).toBe(1);
    // A registry that has not answered yet counts this mirror alone.
    expect(planShards(view({ liveMirrors: 0 })).share).toBe(4);
  });

  it("hands over what is beyond its share when another mirror joins, keeping the shards it prefers", () => {
    const plan = planShards(view({ owned: [0, 1, 2, 3], liveMirrors: 2 }));
    expect(plan.keep).toHaveLength(2);
    expect(plan.release).toHaveLength(2);
    expect(new Set([...plan.keep, ...plan.release])).toEqual(new Set([0, 1, 2, 3]));
    const weight = (s: number) => shardWeight("a", "synthetic", s);
    expect(Math.min(...plan.keep.map(weight))).toBeGreaterThanOrEqual(Math.max(...plan.release.map(weight)));
    expect(plan.candidates).toEqual([]);
  });

  it("takes a dead mirror's shards once the registry no longer counts it", () => {
    const plan = planShards(view({ owned: [1, 3], liveMirrors: 1 }));
    expect(plan.keep).toEqual(expect.arrayContaining([1, 3]));
    expect(plan.share).toBe(4);
    expect([...plan.candidates].sort()).toEqual([0, 2]);
  });

  it("orders the free shards differently for different mirrors (rendezvous), so they rarely compete", () => {
    const orders = ["a", "b", "c", "d", "e", "f"].map(
      (mirrorId) => planShards(view({ mirrorId, configured: 8 })).candidates[0],
    );
    expect(new Set(orders).size).toBeGreaterThan(1);
  });

  it("drains shards of another layout that hold entries whatever its share, and lets them go once empty", () => {
    const draining = planShards(view({ configured: 2, liveMirrors: 2, owned: [0], leftovers: [2, 3] }));
    expect(draining.drain).toEqual([2, 3]);
    const drained = planShards(view({ configured: 2, liveMirrors: 2, owned: [0, 2, 3], leftovers: [3] }));
    expect(drained.keep).toEqual([0, 3]);
    expect(drained.release).toEqual([2]);
    expect(drained.drain).toEqual([]);
  });

  it("an unsharded queue keeps today's behaviour: one shard, taken by whichever mirror gets it first", () => {
    const plan = planShards(view({ configured: 1, liveMirrors: 2 }));
    expect(plan).toEqual({ share: 1, keep: [], release: [], candidates: [0], drain: [] });
  });
});
