import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EXAMPLE_JWT_SECRET, secretWeakness } from "./secret-strength";

describe("secretWeakness", () => {
  it("refuses the .env.example placeholder", () => {
    expect(secretWeakness(EXAMPLE_JWT_SECRET)).toMatch(/placeholder/);
  });

  it.each([
    ["one character repeated", "s".repeat(48)],
    ["few distinct characters", "abababababcdcdcdcdcd".repeat(3)],
    ["a repeated pattern", "0123456789abcdef".repeat(4)],
    ["a short word-like secret", "Tr0ub4dor&3xyz"],
  ])("refuses %s", (_what, secret) => {
    expect(secretWeakness(secret)).not.toBeNull();
  });

  it.each([
    ["32 random bytes, base64url", randomBytes(32).toString("base64url")],
    ["32 random bytes, hex", randomBytes(32).toString("hex")],
    ["48 random bytes, base64", randomBytes(48).toString("base64")],
    ["a prefix and a uuid", `s3cret-${randomUUID()}`],
  ])("accepts %s", (_what, secret) => {
    expect(secretWeakness(secret)).toBeNull();
  });
});
