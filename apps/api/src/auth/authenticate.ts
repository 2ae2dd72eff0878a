import { parseCookie } from "cookie";
import type { Request, RequestHandler } from "express";
import { errors as joseErrors, jwtVerify } from "jose";
import { hashAccessToken } from "@jobstream/queue";
import { ApiError } from "../http/errors";
import { claimsSchema, type Principal } from "./principal";

/** The principal of each authenticated request (kept off the request object itself). */
const principals = new WeakMap<Request, Principal>();

/** Verified tokens (HMAC through WebCrypto costs ~10 % of a cheap request), until they expire. */
const VERIFIED_CACHE_SIZE = 10_000;

class VerifiedTokens {
  private readonly entries = new Map<string, { principal: Principal; expiresAt: number }>();

  get(token: string): Principal | undefined {
    const entry = this.entries.get(token);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.principal;
  }

  set(token: string, principal: Principal, expSeconds: number): void {
    if (this.entries.size >= VERIFIED_CACHE_SIZE) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(token, { principal, expiresAt: expSeconds * 1000 });
  }
}

/** The per-job access token of an anonymous caller (`X-Job-Token`, or `?token=` for EventSource). */
function jobToken(req: Request): string | undefined {
  const header = req.get("x-job-token");
  if (header !== undefined) return header;
  return typeof req.query.token === "string" ? req.query.token : undefined;
}

/** How bearer tokens are checked: the HS256 key, and the issuer, audience and longest lifetime required. */
export interface TokenRules {
  readonly secret: string;
  /** Required `iss` when set. */
  readonly issuer?: string;
  /** Required `aud` when set. */
  readonly audience?: string;
  /**
   * Longest lifetime: `exp - iat`, or `exp - now` for a token without `iat`.
   * @defaultValue 2592000 (30 days)
   */
  readonly maxTtlSeconds?: number;
}

/** Whether a token lives longer than allowed (a pure decision: `now` in seconds). */
export function outlivesMaxTtl(
  claims: { readonly exp: number; readonly iat?: unknown },
  maxTtlSeconds: number,
  now: number,
): boolean {
  // An `iat` in the future would shorten the lifetime on paper only: count from now at the latest.
  const issuedAt = typeof claims.iat === "number" ? Math.min(claims.iat, now) : now;
  return claims.exp - issuedAt > maxTtlSeconds;
}

/**
 * Verifies `Authorization: Bearer <JWT>` (HS256 only: `alg: none` and other algorithms are
 * refused) and attaches the principal. On GETs of `jobTokenPaths`, a caller without a bearer token
 * may present one job's access token; only its hash is kept, and the route compares it with the row.
 * With `cookie`, a browser's session cookie (set by `POST /v1/session`) stands in for the header.
 */
export function authenticate(
  rules: TokenRules,
  options: { jobTokenPaths?: RegExp; cookie?: string } = {},
): RequestHandler {
  const key = new TextEncoder().encode(rules.secret);
  const maxTtlSeconds = rules.maxTtlSeconds ?? 2_592_000;
  const verifyOptions = {
    algorithms: ["HS256"],
    requiredClaims: ["exp", "sub"],
    ...(rules.issuer !== undefined ? { issuer: rules.issuer } : {}),
    ...(rules.audience !== undefined ? { audience: rules.audience } : {}),
  };
  const verified = new VerifiedTokens();
  const fromCookie = (req: Request): string | undefined => {
    const raw = options.cookie === undefined ? undefined : req.get("cookie");
    const value = raw === undefined || options.cookie === undefined ? undefined : parseCookie(raw)[options.cookie];
    return value === undefined || value === "" ? undefined : `Bearer ${value}`;
  };
  return async (req, _res, next) => {
    const header = req.get("authorization") ?? fromCookie(req);
    if (header === undefined) {
      const allowed = req.method === "GET" && options.jobTokenPaths?.test(req.path) === true;
      const token = allowed ? jobToken(req) : undefined;
      if (token === undefined) throw new ApiError("unauthorized", "missing bearer token");
      principals.set(req, { kind: "job-token", tokenHash: hashAccessToken(token) });
      next();
      return;
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new ApiError("unauthorized", "Authorization must be `Bearer <token>`");
    const cached = verified.get(match[1]);
    if (cached !== undefined) {
      principals.set(req, cached);
      next();
      return;
    }
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(match[1], key, verifyOptions));
    } catch (error) {
      throw new ApiError("unauthorized", error instanceof joseErrors.JWTExpired ? "token expired" : "invalid token");
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success)
      throw new ApiError(
        "unauthorized",
        "token claims are invalid (sub, org: uuid; role: member|admin|operator|service; exp)",
      );
    if (
      outlivesMaxTtl(
        { exp: claims.data.exp, iat: (payload as { iat?: unknown }).iat },
        maxTtlSeconds,
        Math.floor(Date.now() / 1000),
      )
    ) {
      throw new ApiError("unauthorized", `token lifetime exceeds ${maxTtlSeconds} seconds`);
    }
    const principal: Principal = {
      kind: "token",
      userId: claims.data.sub,
      orgId: claims.data.org,
      role: claims.data.role,
    };
    verified.set(match[1], principal, claims.data.exp);
    principals.set(req, principal);
    next();
  };
}

/** The principal `authenticate` attached; routes behind it always have one. */
export function principalOf(req: Request): Principal {
  const principal = principals.get(req);
  if (principal === undefined) throw new ApiError("unauthorized", "missing bearer token");
  return principal;
}
