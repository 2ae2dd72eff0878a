import type { JobScope } from "@jobstream/db";
import { ApiError } from "../http/errors";
import type { Principal } from "./principal";

/** Whose jobs a list shows: a member its own, an admin its org's, a service or operator any org (or one). */
export function scopeOf(principal: Principal, requestedOrg?: string): JobScope {
  if (principal.kind !== "token") throw new ApiError("unauthorized", "listing jobs needs a bearer token");
  switch (principal.role) {
    case "member":
      return { orgId: principal.orgId, userId: principal.userId };
    case "admin":
      return { orgId: principal.orgId, userId: null };
    case "service":
    case "operator":
      return { orgId: requestedOrg ?? null, userId: null };
  }
}

/** Monitoring views are for admins (their org), services and operators (every org, or one). */
export function statsScopeOf(principal: Principal, requestedOrg?: string): { orgId: string | null } {
  if (principal.kind !== "token") throw new ApiError("unauthorized", "stats need a bearer token");
  if (principal.role === "member") throw new ApiError("forbidden", "stats are for admin and service tokens");
  return { orgId: principal.role === "admin" ? principal.orgId : (requestedOrg ?? null) };
}
