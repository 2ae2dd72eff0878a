import { describe, expect, it } from "vitest";
import { RefreshedValue } from "./refreshed-value";

describe("RefreshedValue", () => {
  it("loads once for many reads within maxAgeMs, waiting only for the first", async () => {
    let loads = 0;
    const value = new RefreshedValue(() => Promise.resolve(++loads), 0, 60_000);
    const reads = await Promise.all(Array.from({ length: 50 }, () => value.get()));
    expect(new Set(reads)).toEqual(new Set([1]));
    for (let i = 0; i < 50; i++) expect(await value.get()).toBe(1);
    expect(loads).toBe(1);
  });

  it("answers the old value while a stale one refreshes, and keeps it when a refresh fails", async () => {
    let next = 1;
    let fail = false;
    const value = new RefreshedValue(() => (fail ? Promise.reject(new Error("down")) : Promise.resolve(next++)), 0, 0);
    expect(await value.get()).toBe(1);
    expect(await value.get()).toBe(1); // stale: refresh started, not awaited
    await new Promise((resolve) => setTimeout(resolve, 5));
    fail = true;
    expect(await value.get()).toBe(2); // refreshed in the background; this read starts a refresh that fails
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await value.get()).toBe(2); // still the last good value: a failed refresh changes nothing
  });
});
