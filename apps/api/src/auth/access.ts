import { timingSafeEqual } from "node:crypto";
import type { Principal } from "./principal";

/** The fields of a job that decide who may see it. */
export interface JobOwnership {
  readonly orgId: string;
  readonly userId: string | null;
  readonly accessTokenHash: string | null;
}

function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, "hex");
  const y = Buffer.from(b, "hex");
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The one access rule, for every endpoint and stream: `service` and `operator` see every job,
 * `admin` its org's, `member` its own; an anonymous caller sees the one job its access token belongs to.
 * Callers answer 404 (never 403) when this is false, so other tenants' ids stay unknowable.
 */
export function canAccessJob(principal: Principal, job: JobOwnership): boolean {
  if (principal.kind === "job-token")
    return job.accessTokenHash !== null && sameHash(principal.tokenHash, job.accessTokenHash);
  switch (principal.role) {
    case "service":
    case "operator":
      return true;
    case "admin":
      return job.orgId === principal.orgId;
    case "member":
      return job.orgId === principal.orgId && job.userId === principal.userId;
  }
}

/** Actions (cancel, retry) need a bearer token; the per-job token only reads. */
export function canActOnJob(principal: Principal, job: JobOwnership): boolean {
  return principal.kind === "token" && canAccessJob(principal, job);
}
