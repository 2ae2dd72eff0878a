import { describe, expect, it } from "vitest";
import { ApiError } from "../http/errors";
import {
  decodeItemCursor,
  decodeItemPageCursor,
  decodeJobCursor,
  encodeItemCursor,
  encodeItemPageCursor,
  encodeJobCursor,
} from "./cursor";

const id = "7b0c1c4e-3f6a-4a55-9a43-0d6f0e0a9b11";
const b64 = (text: string) => Buffer.from(text).toString("base64url");

/** What a bad cursor answers: a 400 naming the `cursor` field, never a 500. */
function refusal(decode: () => unknown): ApiError {
  try {
    decode();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("the cursor was accepted");
}

describe("job cursors", () => {
  it("decode to the position they were made from", () => {
    const cursor = { createdAt: new Date("2026-11-29T07:00:00.123Z"), id };
    expect(decodeJobCursor(encodeJobCursor(cursor))).toEqual(cursor);
  });

  it("are opaque: no character needs escaping in a query string", () => {
    expect(encodeJobCursor({ createdAt: new Date(0), id })).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ["not base64 JSON", "%%%"],
    ["empty", ""],
    ["JSON of another shape", b64(JSON.stringify({ createdAt: "2026-11-29T07:00:00Z", id }))],
    ["a missing id", b64(JSON.stringify(["2026-11-29T07:00:00Z"]))],
    ["an id that is not a uuid", b64(JSON.stringify(["2026-11-29T07:00:00Z", "1 OR 1=1"]))],
    ["a time that is not ISO", b64(JSON.stringify(["yesterday", id]))],
    ["a time Postgres cannot store", b64(JSON.stringify(["0000-01-01T00:00:00Z", id]))],
    ["an extra element", b64(JSON.stringify(["2026-11-29T07:00:00Z", id, 1]))],
  ])("refuse %s as a validation error on `cursor`", (_name, value) => {
    const error = refusal(() => decodeJobCursor(value));
    expect(error.code).toBe("validation_failed");
    expect(error.status).toBe(400);
    expect(error.details).toEqual([{ path: "cursor", message: "not a cursor this API issued" }]);
  });
});

describe("item cursors", () => {
  it.each([1n, 42n, 9_223_372_036_854_775_807n])("decode %s to itself", (value) => {
    expect(decodeItemCursor(encodeItemCursor(value))).toBe(value);
  });

  it.each([
    ["a number above Postgres' bigint", b64("9223372036854775808")],
    ["a negative number", b64("-1")],
    ["a fraction", b64("1.5")],
    ["text", b64("abc")],
    ["empty", ""],
    ["twenty digits", b64("1".repeat(20))],
  ])("refuse %s as a validation error on `cursor`", (_name, value) => {
    const error = refusal(() => decodeItemCursor(value));
    expect(error.status).toBe(400);
    expect(error.details).toEqual([{ path: "cursor", message: "not a cursor this API issued" }]);
  });
});

describe("item page cursors", () => {
  it("decode (ordinal, id) to itself", () => {
    const cursor = { ordinal: 12n, id: 9_223_372_036_854_775_807n };
    expect(decodeItemPageCursor(encodeItemPageCursor(cursor))).toEqual(cursor);
  });

  it.each([
    ["an id alone", b64("42")],
    ["three parts", b64("1.2.3")],
    ["a negative ordinal", b64("-1.2")],
    ["an empty id", b64("1.")],
  ])("refuse %s as a validation error on `cursor`", (_name, value) => {
    const error = refusal(() => decodeItemPageCursor(value));
    expect(error.status).toBe(400);
    expect(error.details).toEqual([{ path: "cursor", message: "not a cursor this API issued" }]);
  });
});
