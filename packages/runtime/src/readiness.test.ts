import { describe, expect, it } from "vitest";
import { readinessAnswer } from "./health-answer";

describe("readinessAnswer", () => {
  it("is 200 when every check passes", () => {
    expect(readinessAnswer({ ok: true, checks: { redis: "ok", postgres: "ok" }, errors: {} })).toEqual({
      status: 200,
      body: { status: "ready", checks: { redis: "ok", postgres: "ok" } },
    });
  });
  it("is a 503 naming the dependency that is down, without the driver's error text", () => {
    const answer = readinessAnswer({
      ok: false,
      checks: { redis: "down", postgres: "ok" },
      errors: { redis: "connect ECONNREFUSED 127.0.0.1:6379" },
    });
    expect(answer).toEqual({
      status: 503,
      body: {
        status: "unavailable",
        checks: { redis: "down", postgres: "ok" },
        error: {
          code: "unavailable",
          message: "not ready: redis down",
          details: { checks: { redis: "down", postgres: "ok" } },
        },
      },
    });
    expect(JSON.stringify(answer)).not.toContain("ECONNREFUSED");
  });
  it("names pending migrations", () => {
    const answer = readinessAnswer({
      ok: false,
      checks: { redis: "ok", postgres: "migrations_pending" },
      errors: {},
      pendingMigrations: ["m1"],
    });
    expect(answer.body).toMatchObject({
      status: "unavailable",
      checks: { postgres: "migrations_pending" },
      pendingMigrations: ["m1"],
    });
  });
});
