import { describe, expect, it } from "vitest";
import {
  hasUnsafeText,
  isUnsafeText,
  jsonMayHoldUnsafeText,
  postgresSafe,
  postgresSafeJson,
  postgresSafeText,
} from "./postgres-safe";

describe("postgresSafeText", () => {
  it.each([
    ["plain text", "plain text"],
    ["", ""],
    ["a\u0000b", "a\\u0000b"],
    ["\u0000\u0000", "\\u0000\\u0000"],
    ["lone high \ud800 end", "lone high \uFFFD end"],
    ["lone low \udc00", "lone low \uFFFD"],
    ["high at end \ud83d", "high at end \uFFFD"],
    ["pair 😀 kept", "pair 😀 kept"],
    ["reversed \udc00\ud800", "reversed \uFFFD\uFFFD"],
    ["\ud83d\ud83d\ude00", "\uFFFD😀"],
    ["é ünïcode ✓", "é ünïcode ✓"],
  ])("%j becomes %j", (input, expected) => {
    expect(postgresSafeText(input)).toBe(expected);
    expect(isUnsafeText(input)).toBe(input !== expected);
    expect(isUnsafeText(postgresSafeText(input))).toBe(false);
  });
});

describe("postgresSafe", () => {
  it("cleans strings and keys at any depth", () => {
    const value = { "k\u0000": ["x\ud800", { deep: "y\u0000" }], n: 1, b: true, z: null };
    const safe = postgresSafe(value);
    expect(safe).toEqual({ "k\\u0000": ["x\uFFFD", { deep: "y\\u0000" }], n: 1, b: true, z: null });
    expect(hasUnsafeText(value)).toBe(true);
    expect(hasUnsafeText(safe)).toBe(false);
  });
  it("returns the same object when nothing changes", () => {
    const value = { a: ["b", { c: "d" }], e: 2 };
    expect(postgresSafe(value)).toBe(value);
    expect(hasUnsafeText(value)).toBe(false);
  });
  it("sanitizes what toJSON produces and leaves other scalars alone", () => {
    const date = new Date(0);
    expect(postgresSafe({ at: date })).toEqual({ at: date.toJSON() });
    expect(postgresSafe<unknown>(undefined)).toBeUndefined();
    expect(postgresSafe(3)).toBe(3);
  });
});

describe("postgresSafeJson and jsonMayHoldUnsafeText", () => {
  it.each([
    [{ a: "plain", n: [1, "é 😀"] }, false],
    [{ a: "x\u0000y" }, true],
    [{ ["k\u0000"]: 1 }, true],
    [{ a: "lone \ud800" }, true],
    [{ a: "lone low \udfff" }, true],
    [["pair \ud83d\ude00 kept"], false],
    [{ a: "the text \\u0000, not a NUL" }, true],
  ])(
    "%j: stringified equals the walked value's, and the scan says maybe exactly when the text shows an escape",
    (value, maybe) => {
      const json = postgresSafeJson(value);
      expect(json).toBe(JSON.stringify(postgresSafe(value)));
      expect(jsonMayHoldUnsafeText(JSON.stringify(value))).toBe(maybe);
      expect(hasUnsafeText(JSON.parse(json))).toBe(false);
    },
  );
  it("never says no for JSON whose parsed value holds unsafe text, whatever the escape's case", () => {
    for (const text of ['{"a":"\\u0000"}', '{"a":"\\uD800"}', '{"a":"\\uDc00"}']) {
      expect(hasUnsafeText(JSON.parse(text))).toBe(true);
      expect(jsonMayHoldUnsafeText(text)).toBe(true);
    }
  });
});
