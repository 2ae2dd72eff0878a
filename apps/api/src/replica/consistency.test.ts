import { describe, expect, it } from "vitest";
import { capPresented, formatLsn, lagMsOf, parseLsn, routeRead, statusOf, type ReplicaHealth } from "./consistency";

describe("LSN codec", () => {
  it("round-trips positions as Postgres writes them", () => {
    expect(formatLsn(0n)).toBe("0/0");
    expect(parseLsn("16/B374D848")).toBe((0x16n << 32n) | 0xb374d848n);
    expect(formatLsn(parseLsn("16/B374D848"))).toBe("16/B374D848");
    expect(parseLsn(" 0/3000148 ")).toBe(0x3000148n);
  });

  it.each(["", "16", "16/", "/1", "g/1", "1/2/3", "123456789/0", "1 /2"])("refuses %j with a 400", (text) => {
    expect(() => parseLsn(text)).toThrow(expect.objectContaining({ code: "validation_failed" }));
  });
});

describe("lagMsOf", () => {
  it("is zero when everything is replayed", () => {
    expect(lagMsOf(0n, 60_000, 60_000)).toBe(0);
  });
  it("is the smaller bound otherwise", () => {
    // Idle primary, then a checkpoint: the last commit is old, the replica was caught up a second ago.
    expect(lagMsOf(100n, 3_600_000, 1000)).toBe(1000);
    // Steady writes: bytes always in flight, commits replayed a moment ago.
    expect(lagMsOf(4096n, 15, 600_000)).toBe(15);
    expect(lagMsOf(1n, null, 250)).toBe(250);
    expect(lagMsOf(1n, -5, 250)).toBe(0);
  });
});

describe("statusOf", () => {
  it("is down for a server that is not a standby, lagging beyond the threshold", () => {
    expect(statusOf(false, 0, 1000)).toBe("down");
    expect(statusOf(true, 1001, 1000)).toBe("lagging");
    expect(statusOf(true, 1000, 1000)).toBe("ok");
  });
});

describe("routeRead", () => {
  const health = (status: ReplicaHealth["status"], replayed: bigint): ReplicaHealth => ({
    status,
    replayed,
    lagBytes: 0,
    lagMs: 0,
  });
  it.each([
    ["ok", 100n, 0n, "replica"],
    ["ok", 100n, 100n, "replica"],
    ["ok", 100n, 101n, "wait"],
    ["lagging", 100n, 0n, "primary"],
    ["down", 100n, 0n, "primary"],
  ] as const)("%s replica at %d, caller wrote up to %d: %s", (status, replayed, required, expected) => {
    expect(routeRead(health(status, replayed), required)).toBe(expected);
  });
});

describe("capPresented", () => {
  it.each([
    [0n, 100n, 0n],
    [99n, 100n, 99n],
    [100n, 100n, 100n],
    [101n, 100n, 100n],
    [parseLsn("FFFFFFFF/FFFFFFFF"), 100n, 100n],
    [5n, 0n, 0n],
  ] as const)("a header at %d with the primary at %d asks for %d", (presented, primary, expected) => {
    expect(capPresented(presented, primary)).toBe(expected);
  });
});
