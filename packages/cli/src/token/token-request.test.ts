import { describe, expect, it } from "vitest";
import { DEV_ORG_ID, DEV_USER_ID } from "@jobstream/client";
import { UsageError } from "../usage-error.ts";
import { MAX_TTL_SECONDS, parseTtl, tokenRequest } from "./token-request.ts";

describe("parseTtl", () => {
  it("reads seconds and s/m/h/d suffixes", () => {
    expect(parseTtl("3600")).toBe(3600);
    expect(parseTtl("90s")).toBe(90);
    expect(parseTtl("15m")).toBe(900);
    expect(parseTtl("1h")).toBe(3600);
    expect(parseTtl("7d")).toBe(7 * 86_400);
    expect(parseTtl("30d")).toBe(MAX_TTL_SECONDS);
  });
  it("refuses more than 30 days, zero and garbage with a clear message", () => {
    expect(() => parseTtl("31d")).toThrow(/longer than 30 days/);
    expect(() => parseTtl(String(MAX_TTL_SECONDS + 1))).toThrow(UsageError);
    expect(() => parseTtl("0")).toThrow(/at least 1 second/);
    for (const bad of ["", "1w", "-5", "1.5h", "h", "10 d"]) expect(() => parseTtl(bad), bad).toThrow(/not a duration/);
  });
});

describe("tokenRequest", () => {
  it("defaults to the development org and user, admin, 24 hours", () => {
    expect(tokenRequest({})).toEqual({ role: "admin", org: DEV_ORG_ID, user: DEV_USER_ID, ttlSeconds: 86_400 });
  });
  it("takes role, org, user and ttl", () => {
    const org = "8d3b2b8e-5d1c-4c52-9a3e-0d7f1d2b6a10";
    const user = "1b7a4f0e-2c3d-4e5f-8a9b-0c1d2e3f4a5b";
    expect(tokenRequest({ role: "service", org, user, ttl: "2h" })).toEqual({
      role: "service",
      org,
      user,
      ttlSeconds: 7200,
    });
  });
  it("refuses unknown roles and malformed uuids", () => {
    expect(() => tokenRequest({ role: "root" })).toThrow(
      /--role "root" is not a role; use one of member, admin, operator, service/,
    );
    expect(() => tokenRequest({ org: "acme" })).toThrow(/--org "acme" is not a UUID/);
    expect(() => tokenRequest({ user: "1234" })).toThrow(/--user "1234" is not a UUID/);
  });
});
