import { describe, expect, it } from "vitest";
import { describeChange } from "./dependency-watch";
import { isOutageError, isPostgresUnavailable } from "./outage-errors";

describe("describeChange", () => {
  it("logs going down and coming back once each", () => {
    expect(describeChange("redis", "ok", "down")).toEqual({ level: "warn", msg: "redis down" });
    expect(describeChange("redis", "down", "down")).toBeNull();
    expect(describeChange("redis", "down", "ok")).toEqual({ level: "info", msg: "redis back" });
    expect(describeChange("postgres", undefined, "down")).toEqual({ level: "warn", msg: "postgres down" });
  });
  it("stays quiet for the first ok and for steady states", () => {
    expect(describeChange("postgres", undefined, "ok")).toBeNull();
    expect(describeChange("postgres", "ok", "ok")).toBeNull();
  });
  it("names pending migrations", () => {
    expect(describeChange("postgres", "ok", "migrations_pending")).toEqual({
      level: "warn",
      msg: "postgres migrations pending",
    });
    expect(describeChange("postgres", "migrations_pending", "ok")).toEqual({
      level: "info",
      msg: "postgres migrations applied",
    });
  });
});

describe("isOutageError", () => {
  it("tells outages from bugs", () => {
    expect(isOutageError(new Error("connect ECONNREFUSED 127.0.0.1:6379"))).toBe(true);
    expect(isOutageError(new Error("Connection is closed."))).toBe(true);
    expect(
      isOutageError(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" })),
    ).toBe(true);
    expect(isPostgresUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(
      isPostgresUnavailable(Object.assign(new Error("the database system is starting up"), { code: "57P03" })),
    ).toBe(true);
    expect(isOutageError(new Error('invalid input syntax for type uuid: "5"'))).toBe(false);
    expect(isOutageError("not an error")).toBe(false);
  });
});
