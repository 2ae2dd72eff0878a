import { DEV_ORG_ID, DEV_USER_ID } from "@jobstream/contract";
import { SignJWT } from "jose";

const DAY_SECONDS = 24 * 60 * 60;

/** An admin token for the development org and user, as `pnpm token` makes by default. */
export async function devSignInToken(secret: string, now = new Date()): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ org: DEV_ORG_ID, role: "admin" })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(DEV_USER_ID)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + DAY_SECONDS)
    .sign(new TextEncoder().encode(secret));
}

/**
 * What `pnpm start` prints in development once the API is ready. The token travels in the URL
 * fragment, which browsers never send to a server; the dashboard removes it from the address bar.
 */
export function devBanner(baseUrl: string, token: string): string {
  const dashboard = `${baseUrl}/dashboard/`;
  return [
    "",
    "launcher: development mode (JWT_SECRET not set)",
    `  dashboard:        ${dashboard}`,
    `  sign in (24 h):   ${dashboard}#token=${token}`,
    "  another token:    pnpm token --help",
    `  API docs:         ${baseUrl}/docs`,
    "",
  ].join("\n");
}

/** Polls the API's /readyz until it answers 200; false once `timeoutMs` passed or `stopped()` says so. */
export async function waitForApi(baseUrl: string, stopped: () => boolean, timeoutMs = 120_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !stopped()) {
    try {
      const res = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return true;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}
