import { ApiError } from "../http/errors";
import { canAccessJob } from "../auth/access";
import type { Principal } from "../auth/principal";

/**
 * Schedules follow the jobs' access rule (their runs are the owner's jobs): a member its own, an
 * admin its org's, a service or operator every org's. Only bearer tokens: a job's access token reads
 * one job, never a schedule. Callers answer 404 when this is false (ids of other tenants stay unknowable).
 */
export function canAccessSchedule(
  principal: Principal,
  schedule: { readonly orgId: string; readonly userId: string | null },
): boolean {
  return principal.kind === "token" && canAccessJob(principal, { ...schedule, accessTokenHash: null });
}

export function bearerPrincipal(principal: Principal): Principal & { kind: "token" } {
  if (principal.kind !== "token") throw new ApiError("unauthorized", "schedules need a bearer token");
  return principal;
}
