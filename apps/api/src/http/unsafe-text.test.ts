import { describe, expect, it } from "vitest";
import { findUnsafeText } from "./unsafe-text";

describe("findUnsafeText", () => {
  it("names every value and key holding NUL or a lone surrogate, by dotted path", () => {
    const value = JSON.parse(
      '{"a":"ok","b":{"c":["x","y\\u0000"]},"d":"\\ud800","e":"\\udc00z","k\\u0000":1}',
    ) as unknown;
    const paths = findUnsafeText(value)
      .map((i) => i.path)
      .sort();
    expect(paths).toEqual(["b.c.1", "d", "e", "k\ufffd"]);
  });

  it("accepts paired surrogates (emoji), other control characters and non-strings", () => {
    expect(findUnsafeText({ a: "😀 \u0001\t", b: 1, c: null, d: [true, 1e300] })).toEqual([]);
  });

  it("checks a bare string and prefixes paths", () => {
    expect(findUnsafeText("a\u0000", "id")).toEqual([{ path: "id", message: "must not contain NUL (\\u0000)" }]);
    expect(findUnsafeText({ x: "\udfff" }, "jobs.0")[0]?.path).toBe("jobs.0.x");
  });

  it("stops after max findings", () => {
    expect(
      findUnsafeText(
        Array.from({ length: 50 }, () => "\u0000"),
        "",
        10,
      ),
    ).toHaveLength(10);
  });
});
