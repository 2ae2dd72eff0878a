import { SYSTEM_ORG_ID } from "@jobstream/contract";
import { ApiError } from "../http/errors";
import type { Principal } from "../auth/principal";

type TokenPrincipal = Principal & { kind: "token" };

/**
 * Webhooks are per-org and admin-managed. Admins manage their org's; services (trusted backends)
 * and operators (platform staff) any org's, as with jobs. Members are refused (403) before any
 * lookup; a webhook of another org answers 404, so its id stays unknowable.
 */
export function webhookManager(principal: Principal): TokenPrincipal {
  if (principal.kind !== "token") throw new ApiError("unauthorized", "webhooks need a bearer token");
  if (principal.role === "member") throw new ApiError("forbidden", "webhooks are managed by org admins");
  return principal;
}

export function canManageWebhookOf(principal: TokenPrincipal, orgId: string): boolean {
  return principal.role !== "admin" || principal.orgId === orgId;
}

/** The org a new webhook belongs to: the token's, or (services only, as for enqueue) the body's `orgId`. */
export function orgForNewWebhook(principal: TokenPrincipal, requested: string | undefined): string {
  if (requested !== undefined && principal.role !== "service") {
    throw new ApiError("forbidden", "only service tokens may create webhooks for another org", [
      { path: "orgId", message: "only service tokens may name an org" },
    ]);
  }
  const orgId = requested ?? principal.orgId;
  if (orgId === SYSTEM_ORG_ID) {
    throw new ApiError("forbidden", "this org id is reserved", [{ path: "orgId", message: "this org id is reserved" }]);
  }
  return orgId;
}

/** Which orgs a list shows: an admin its own, services and operators every org or the one asked for. */
export function webhookListOrg(principal: TokenPrincipal, requested: string | undefined): string | null {
  return principal.role === "admin" ? principal.orgId : (requested ?? null);
}
