import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Role } from "@jobstream/contract";
import { canAccessJob, canActOnJob, type JobOwnership } from "./access";
import type { Principal } from "./principal";

const org = "00000000-0000-4000-8000-00000000000a";
const otherOrg = "00000000-0000-4000-8000-00000000000b";
const owner = "00000000-0000-4000-8000-000000000001";
const someoneElse = "00000000-0000-4000-8000-000000000002";
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

const job: JobOwnership = { orgId: org, userId: owner, accessTokenHash: sha256("job-token") };
const serviceJob: JobOwnership = { ...job, userId: null };
const token = (role: Role, userId: string, orgId: string): Principal => ({ kind: "token", role, userId, orgId });
const jobToken = (secret: string): Principal => ({ kind: "job-token", tokenHash: sha256(secret) });

describe("canAccessJob and canActOnJob", () => {
  it.each([
    // caller, job, may read, may act
    ["member who created it", token("member", owner, org), job, true, true],
    ["another member of the org", token("member", someoneElse, org), job, false, false],
    ["a member, a job a service created for no user", token("member", owner, org), serviceJob, false, false],
    ["the same user id in another org", token("member", owner, otherOrg), job, false, false],
    ["admin of the org", token("admin", someoneElse, org), job, true, true],
    ["admin of the org, a service-created job", token("admin", someoneElse, org), serviceJob, true, true],
    ["admin of another org", token("admin", someoneElse, otherOrg), job, false, false],
    ["operator (every org)", token("operator", someoneElse, otherOrg), job, true, true],
    ["service (every org)", token("service", someoneElse, otherOrg), job, true, true],
    ["the job's own access token", jobToken("job-token"), job, true, false],
    ["another job's access token", jobToken("other-token"), job, false, false],
    [
      "an access token, a job stored without one",
      jobToken("job-token"),
      { ...job, accessTokenHash: null },
      false,
      false,
    ],
  ] as const)("%s: reads %s, acts %s", (_who, principal, target, reads, acts) => {
    expect(canAccessJob(principal, target)).toBe(reads);
    expect(canActOnJob(principal, target)).toBe(acts);
  });

  it("refuses a token hash of another length instead of throwing", () => {
    expect(canAccessJob({ kind: "job-token", tokenHash: "abcd" }, job)).toBe(false);
    expect(canAccessJob({ kind: "job-token", tokenHash: "" }, job)).toBe(false);
  });
});
