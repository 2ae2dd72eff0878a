import { describe, expect, it } from "vitest";
import type { IdempotentJob } from "@jobstream/db";
import type { Principal } from "../auth/principal";
import { idempotencyOutcome } from "./idempotency";

const org = "00000000-0000-4000-8000-000000000001";
const owner = "00000000-0000-4000-8000-000000000002";
const job: IdempotentJob = {
  id: "j",
  idempotencyKey: "k",
  orgId: org,
  userId: owner,
  accessTokenHash: null,
  requestHash: "h1",
};
const token = (role: "member" | "admin" | "operator" | "service", userId = owner, orgId = org): Principal => ({
  kind: "token",
  role,
  userId,
  orgId,
});

describe("idempotencyOutcome", () => {
  it.each([
    ["the owner, same request", token("member"), job, "h1", "replay"],
    ["the owner, another request", token("member"), job, "h2", "reused"],
    ["another member of the org", token("member", "00000000-0000-4000-8000-000000000009"), job, "h1", "in_use"],
    ["the org's admin, another request", token("admin", "00000000-0000-4000-8000-000000000009"), job, "h2", "reused"],
    ["a service, same request", token("service", "x", "y"), job, "h1", "replay"],
    ["the owner, a row stored before hashes existed", token("member"), { ...job, requestHash: null }, "h2", "replay"],
    [
      "another member, a row without hash",
      token("member", "00000000-0000-4000-8000-000000000009"),
      { ...job, requestHash: null },
      "h1",
      "in_use",
    ],
  ] as const)("%s → %s", (_name, principal, existing, hash, expected) => {
    expect(idempotencyOutcome(principal, existing, hash)).toBe(expected);
  });
});
