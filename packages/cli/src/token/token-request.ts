import { DEV_ORG_ID, DEV_USER_ID, roles, type Role } from "@jobstream/client";
import { UsageError } from "../usage-error.ts";

/** The API refuses tokens living longer than this by default (JWT_MAX_LIFETIME_SECONDS). */
export const MAX_TTL_SECONDS = 30 * 86_400;
export const DEFAULT_TTL_SECONDS = 86_400;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `3600`, `90s`, `15m`, `1h`, `7d` → seconds; refuses zero, garbage and more than 30 days. */
export function parseTtl(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  if (!match?.[1])
    throw new UsageError(
      `--ttl "${text}" is not a duration: use seconds or a number with s, m, h or d (e.g. 3600, 1h, 7d)`,
    );
  const seconds = Number(match[1]) * (UNIT_SECONDS[match[2] ?? ""] ?? 1);
  if (seconds <= 0) throw new UsageError("--ttl must be at least 1 second");
  if (seconds > MAX_TTL_SECONDS) {
    throw new UsageError(`--ttl ${text} is longer than 30 days, the longest token lifetime the API accepts by default`);
  }
  return seconds;
}

export interface TokenRequest {
  readonly role: Role;
  readonly org: string;
  readonly user: string;
  readonly ttlSeconds: number;
}

/** Checks `pnpm token` flags and fills in the defaults (dev org and user, admin, 24 h). */
export function tokenRequest(flags: { role?: string; org?: string; user?: string; ttl?: string }): TokenRequest {
  const role = flags.role ?? "admin";
  if (!(roles as readonly string[]).includes(role)) {
    throw new UsageError(`--role "${role}" is not a role; use one of ${roles.join(", ")}`);
  }
  const org = flags.org ?? DEV_ORG_ID;
  const user = flags.user ?? DEV_USER_ID;
  if (!UUID.test(org)) throw new UsageError(`--org "${org}" is not a UUID`);
  if (!UUID.test(user)) throw new UsageError(`--user "${user}" is not a UUID`);
  return {
    role: role as Role,
    org,
    user,
    ttlSeconds: flags.ttl === undefined ? DEFAULT_TTL_SECONDS : parseTtl(flags.ttl),
  };
}
