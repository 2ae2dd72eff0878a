import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { SignJWT } from "jose";
import { describe, expect } from "vitest";
import { EXAMPLE_JWT_SECRET } from "@jobstream/contract";
import { startApp, type System } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";

const appDir = fileURLToPath(new URL("..", import.meta.url));

/** A database and key prefix but no process: each test starts an API that must refuse to run. */
const unstarted = systemTest(() => Promise.resolve());
/** An API that checks issuer, audience and lifetime. */
const it = systemTest((sys) =>
  sys.startApi({ JWT_ISSUER: "https://auth.test", JWT_AUDIENCE: "jobstream", JWT_MAX_TTL_SECONDS: "3600" }),
);

const weakSecrets: [string, string, RegExp][] = [
  ["the .env.example placeholder", EXAMPLE_JWT_SECRET, /JWT_SECRET: is the \.env\.example placeholder/],
  ["one character repeated", "s".repeat(48), /JWT_SECRET: has only 1 distinct characters/],
  ["a repeated pattern", "0123456789abcdef".repeat(3), /JWT_SECRET: is too weak.*repeats a 16-character pattern/],
];

describe("JWT_SECRET strength at start", () => {
  unstarted.for(weakSecrets)(
    "refuses %s, naming the variable",
    { timeout: 30_000 },
    async ([, secret, message], { sys }) => {
      const app = startApp(appDir, { ...sys.env({ JWT_SECRET: secret }), PORT: "0", HOST: "127.0.0.1" });
      expect(await app.exited()).toBe(78); // EX_CONFIG: a supervisor does not restart it
      expect(app.output()).toMatch(message);
      expect(app.output()).not.toContain(secret);
    },
  );
});

describe("token issuer, audience and lifetime", () => {
  const sign = async (sys: System, options: { iss?: string; aud?: string; ttl: number; iat?: boolean }) => {
    const now = Math.floor(Date.now() / 1000);
    let jwt = new SignJWT({ org: randomUUID(), role: "member" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(randomUUID())
      .setExpirationTime(now + options.ttl);
    if (options.iat !== false) jwt = jwt.setIssuedAt(now);
    if (options.iss !== undefined) jwt = jwt.setIssuer(options.iss);
    if (options.aud !== undefined) jwt = jwt.setAudience(options.aud);
    return jwt.sign(new TextEncoder().encode(sys.secret));
  };
  const status = async (sys: System, token: string) => (await sys.request("GET", "/v1/jobs", { token })).status;

  it("accepts a token with the configured iss and aud within the lifetime", async ({ sys }) => {
    expect(await status(sys, await sign(sys, { iss: "https://auth.test", aud: "jobstream", ttl: 600 }))).toBe(200);
    expect(await status(sys, await sign(sys, { iss: "https://auth.test", aud: "jobstream", ttl: 3600 }))).toBe(200);
  });

  it("refuses a missing or wrong issuer or audience", async ({ sys }) => {
    expect(await status(sys, await sign(sys, { aud: "jobstream", ttl: 600 }))).toBe(401);
    expect(await status(sys, await sign(sys, { iss: "https://evil.test", aud: "jobstream", ttl: 600 }))).toBe(401);
    expect(await status(sys, await sign(sys, { iss: "https://auth.test", ttl: 600 }))).toBe(401);
    expect(await status(sys, await sign(sys, { iss: "https://auth.test", aud: "other", ttl: 600 }))).toBe(401);
  });

  it("refuses a token living longer than JWT_MAX_TTL_SECONDS, with or without iat", async ({ sys }) => {
    const long = await sys.request<{ error: { message: string } }>("GET", "/v1/jobs", {
      token: await sign(sys, { iss: "https://auth.test", aud: "jobstream", ttl: 3601 }),
    });
    expect(long.status).toBe(401);
    expect(long.body.error.message).toMatch(/lifetime exceeds 3600/);
    expect(
      await status(sys, await sign(sys, { iss: "https://auth.test", aud: "jobstream", ttl: 86_400, iat: false })),
    ).toBe(401);
    expect(
      await status(sys, await sign(sys, { iss: "https://auth.test", aud: "jobstream", ttl: 600, iat: false })),
    ).toBe(200);
  });
});
