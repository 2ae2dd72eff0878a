import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import { DEV_ORG_ID, DEV_USER_ID } from "@jobstream/client";
import { run } from "./run-cli.ts";

const dataDir = mkdtempSync(join(tmpdir(), "jobstream-token-"));
const secret = "t".repeat(40);
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

const key = (s: string) => new TextEncoder().encode(s);

describe("pnpm token", () => {
  it("pnpm -s token prints only the token, signed with JWT_SECRET, with the default claims", async () => {
    const before = Math.floor(Date.now() / 1000);
    const result = await run("pnpm", ["-s", "token"], { env: { JWT_SECRET: secret } });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    const { payload } = await jwtVerify(result.stdout.trim(), key(secret), { algorithms: ["HS256"] });
    expect(decodeProtectedHeader(result.stdout.trim()).alg).toBe("HS256");
    expect(payload).toMatchObject({ sub: DEV_USER_ID, org: DEV_ORG_ID, role: "admin" });
    expect(payload.iss).toBeUndefined();
    expect(payload.aud).toBeUndefined();
    expect(payload.iat).toBeGreaterThanOrEqual(before);
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(86_400);
  });

  it("pnpm token (not silent) leaves the token alone on stdout's last line", async () => {
    const result = await run("pnpm", ["token", "--role", "member", "--ttl", "1h"], { env: { JWT_SECRET: secret } });
    expect(result.code).toBe(0);
    const last = result.stdout.trimEnd().split("\n").at(-1) ?? "";
    const { payload } = await jwtVerify(last, key(secret));
    expect(payload.role).toBe("member");
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(3600);
  });

  it("takes org, user, ttl and adds iss/aud when JWT_ISSUER / JWT_AUDIENCE are set", async () => {
    const org = "5f0c6f4e-8a1b-4c2d-9e3f-4a5b6c7d8e9f";
    const user = "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d";
    const result = await run(
      "pnpm",
      ["-s", "token", "--role", "service", "--org", org, "--user", user, "--ttl", "7d"],
      {
        env: { JWT_SECRET: secret, JWT_ISSUER: "https://issuer.example", JWT_AUDIENCE: "jobstream" },
      },
    );
    expect(result.code).toBe(0);
    const claims = decodeJwt(result.stdout.trim());
    expect(claims).toMatchObject({ sub: user, org, role: "service", iss: "https://issuer.example", aud: "jobstream" });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(7 * 86_400);
  });

  it("refuses a ttl above 30 days, a bad role and a bad uuid: message on stderr, nothing on stdout", async () => {
    for (const [args, message] of [
      [["--ttl", "31d"], /--ttl 31d is longer than 30 days/],
      [["--ttl", "soon"], /--ttl "soon" is not a duration/],
      [["--role", "root"], /--role "root" is not a role/],
      [["--org", "acme"], /--org "acme" is not a UUID/],
      [["--bogus"], /Unknown option '--bogus'/],
    ] as const) {
      const result = await run("pnpm", ["-s", "token", ...args], { env: { JWT_SECRET: secret } });
      expect(result.code, args.join(" ")).not.toBe(0);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(message);
    }
  });

  it("without JWT_SECRET creates the development secret as pnpm start does, then reuses it", async () => {
    const env = { JOBSTREAM_DATA_DIR: dataDir };
    const first = await run("pnpm", ["-s", "token"], { env });
    expect(first.code).toBe(0);
    const file = join(dataDir, "dev-jwt-secret");
    const content = readFileSync(file, "utf8");
    expect(content).toMatch(/^[\w-]{43}\n$/); // base64url of 32 bytes, then a newline
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await jwtVerify(first.stdout.trim(), key(content.trim()));

    const second = await run("pnpm", ["-s", "token"], { env });
    expect(readFileSync(file, "utf8")).toBe(content);
    await jwtVerify(second.stdout.trim(), key(content.trim()));
  });
});
