import { describe, expect, it } from "vitest";
import { readinessAnswer } from "./health-answer";

describe("readinessAnswer", () => {
  it("is 200 when every check passes", () => {
    expect(readinessAnswer({ ok: true, checks: { redis: { ok: true }, postgres: { ok: true } } })).toEqual({
      status: 200,
      body: { status: "ready", checks: { redis: { ok: true }, postgres: { ok: true } } },
    });
  });
  it("is a 503 unavailable error naming the failing check", () => {
    const answer = readinessAnswer({ ok: false, checks: { redis: { ok: false, error: "ECONNREFUSED" }, postgres: { ok: true } } });
    expect(answer).toEqual({
      status: 503,
      body: { error: { code: "unavailable", message: "not ready", details: { redis: { ok: false, error: "ECONNREFUSED" }, postgres: { ok: true } } } },
    });
  });
});
