import { describe, expect, it } from "vitest";
import { z } from "zod";
import { baseEnvSchema, EnvError, parseEnv } from "./env-schema";
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
