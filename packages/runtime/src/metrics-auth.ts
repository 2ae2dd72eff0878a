import { createHash, timingSafeEqual } from "node:crypto";

const digest = (text: string): Buffer => createHash("sha256").update(text).digest();

/**
 * Whether a scrape may read `/metrics`: always when no token is configured, else only with
 * `Authorization: Bearer <token>`, compared in constant time (digests of equal length, so neither
 * the token's content nor its length leaks through timing).
 */
export function metricsAuthorized(authorization: string | undefined, token: string | undefined): boolean {
  if (token === undefined) return true;
  const presented = /^Bearer\s+(\S+)$/i.exec(authorization ?? "")?.[1] ?? "";
  return timingSafeEqual(digest(presented), digest(token)) && presented !== "";
}
