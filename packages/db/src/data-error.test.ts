import { describe, expect, it } from "vitest";
import { isDataError } from "./data-error";

describe("isDataError", () => {
  it.each([
    ["invalid uuid (22P02)", { code: "22P02" }, true],
    ["unsupported Unicode escape (22P05)", { code: "22P05" }, true],
    ["numeric out of range (22003)", { code: "22003" }, true],
    ["check violation (23514)", { code: "23514" }, true],
    ["connection failure (08006)", { code: "08006" }, false],
    ["admin shutdown (57P01)", { code: "57P01" }, false],
    ["too many connections (53300)", { code: "53300" }, false],
    ["undefined table (42P01): a schema problem, not the entry's", { code: "42P01" }, false],
    ["node error ECONNREFUSED", Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), false],
    ["plain error", new Error("Connection terminated unexpectedly"), false],
    ["not an object", "22P02", false],
    ["null", null, false],
  ])("%s → %s", (_name, error, expected) => {
    expect(isDataError(error)).toBe(expected);
  });
});
