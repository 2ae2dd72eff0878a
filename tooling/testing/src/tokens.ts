import { randomUUID } from "node:crypto";
import { SignJWT } from "jose";

import type { Role } from "@jobstream/contract";

export type { Role };

/** Signs an HS256 bearer token as the API expects; `expiresIn` negative makes an expired one. */
export async function signToken(
  secret: string,
  claims: { sub?: string; org?: string; role?: Role } = {},
  expiresInSeconds = 3600,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ org: claims.org ?? randomUUID(), role: claims.role ?? "member" })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(claims.sub ?? randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + expiresInSeconds)
    .sign(new TextEncoder().encode(secret));
}

/** A token with `alg: none` and no signature, which the API must refuse. */
export function unsignedToken(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return `${encode({ alg: "none", typ: "JWT" })}.${encode(claims)}.`;
}
