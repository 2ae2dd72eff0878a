import { describe, expect, it } from "vitest";
import { z } from "zod";
import { baseEnvSchema, EnvError, parseEnv } from "./env-schema";
import { redisTargetOf } from "./redis-target";
import { rolesSchema } from "./roles";

describe("parseEnv", () => {
  it("applies local defaults", () => {
    const env = parseEnv(baseEnvSchema, {});
    expect(env).toMatchObject({
      DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/jobstream",
      REDIS_URL: "redis://127.0.0.1:6379",
      QUEUE_PREFIX: "jobstream",
      LOG_LEVEL: "info",
    });
  });

  it("lists every bad variable by name", () => {
    let error: unknown;
    try {
      parseEnv(baseEnvSchema, {
        DATABASE_URL: "mysql://h/db",
        REDIS_URL: "nope",
        QUEUE_PREFIX: "a b",
        SHUTDOWN_TIMEOUT_MS: "-5",
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    const message = (error as EnvError).message;
    for (const name of ["DATABASE_URL", "REDIS_URL", "QUEUE_PREFIX", "SHUTDOWN_TIMEOUT_MS"])
      expect(message).toContain(`${name}:`);
  });
});

describe("Redis Cluster", () => {
  it("takes REDIS_CLUSTER_NODES as seed nodes, IPv6 in brackets", () => {
    const env = parseEnv(baseEnvSchema, { REDIS_CLUSTER_NODES: " 10.0.0.1:7000,redis-2:7001,[::1]:7002 " });
    expect(redisTargetOf(env)).toEqual({
      clusterNodes: [
        { host: "10.0.0.1", port: 7000 },
        { host: "redis-2", port: 7001 },
        { host: "::1", port: 7002 },
      ],
    });
    expect(redisTargetOf(parseEnv(baseEnvSchema, { REDIS_URL: "" }))).toEqual({ url: "redis://127.0.0.1:6379" });
  });

  it("refuses a bad node list, and both variables at once", () => {
    expect(() => parseEnv(baseEnvSchema, { REDIS_CLUSTER_NODES: "10.0.0.1" })).toThrow(
      /REDIS_CLUSTER_NODES: "10.0.0.1" is not host:port/,
    );
    expect(() => parseEnv(baseEnvSchema, { REDIS_CLUSTER_NODES: "h:99999" })).toThrow(/REDIS_CLUSTER_NODES/);
    expect(() => parseEnv(baseEnvSchema, { REDIS_URL: "redis://h:6379", REDIS_CLUSTER_NODES: "h:7000" })).toThrow(
      /REDIS_URL, REDIS_CLUSTER_NODES: set one of them, not both/,
    );
  });
});

describe("ROLES", () => {
  const schema = z.object({ ROLES: rolesSchema });
  const parse = (value?: string) => [...parseEnv(schema, { ROLES: value }).ROLES].sort();
  it("defaults to every role", () => {
    expect(parse()).toEqual(["api", "housekeep", "mirror", "work"]);
    expect(parse("all")).toEqual(["api", "housekeep", "mirror", "work"]);
  });
  it("takes a comma list", () => {
    expect(parse(" work , mirror ")).toEqual(["mirror", "work"]);
  });
  it("rejects unknown roles", () => {
    expect(() => parse("work,cook")).toThrow(/unknown role "cook"/);
  });
});
