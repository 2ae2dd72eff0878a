import { SignJWT } from "jose";
import type { TokenRequest } from "./token-request.ts";

export interface SigningKey {
  readonly secret: string;
  readonly issuer?: string | undefined;
  readonly audience?: string | undefined;
}

/** An HS256 bearer token with `sub`, `org`, `role`, `iat`, `exp` (and `iss`/`aud` when configured). */
export async function signToken(
  request: TokenRequest,
  key: SigningKey,
  now = Math.floor(Date.now() / 1000),
): Promise<string> {
  let jwt = new SignJWT({ org: request.org, role: request.role })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(request.user)
    .setIssuedAt(now)
    .setExpirationTime(now + request.ttlSeconds);
  if (key.issuer !== undefined) jwt = jwt.setIssuer(key.issuer);
  if (key.audience !== undefined) jwt = jwt.setAudience(key.audience);
  return jwt.sign(new TextEncoder().encode(key.secret));
}
