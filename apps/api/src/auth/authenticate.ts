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

const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * Checks `Authorization: Bearer <JWT>` headers (HS256 only: `alg: none` and other algorithms are
 * refused) and remembers the principals of verified tokens until they expire. One per process:
 * `authenticate` and the lean read path (jobs/hot-read.ts) share it.
 */
export class BearerVerifier {
  private readonly key: Uint8Array;
  private readonly maxTtlSeconds: number;
  private readonly verifyOptions: Parameters<typeof jwtVerify>[2];
  private readonly verified = new VerifiedTokens();

  constructor(rules: TokenRules) {
    this.key = new TextEncoder().encode(rules.secret);
    this.maxTtlSeconds = rules.maxTtlSeconds ?? 2_592_000;
    this.verifyOptions = {
      algorithms: ["HS256"],
      requiredClaims: ["exp", "sub"],
      ...(rules.issuer !== undefined ? { issuer: rules.issuer } : {}),
      ...(rules.audience !== undefined ? { audience: rules.audience } : {}),
    };
  }

  /** The principal of a header whose token was verified before and has not expired; else undefined. */
  cached(header: string): Principal | undefined {
    const token = BEARER.exec(header)?.[1];
    return token === undefined ? undefined : this.verified.get(token);
  }

  /** The header's principal; throws `ApiError("unauthorized")` naming what is wrong. */
  async verify(header: string): Promise<Principal> {
    const token = BEARER.exec(header)?.[1];
    if (!token) throw new ApiError("unauthorized", "Authorization must be `Bearer <token>`");
    const cached = this.verified.get(token);
    if (cached !== undefined) return cached;
    let payload: unknown;
    try {
      ({ payload } = await jwtVerify(token, this.key, this.verifyOptions));
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
        this.maxTtlSeconds,
        Math.floor(Date.now() / 1000),
      )
    ) {
      throw new ApiError("unauthorized", `token lifetime exceeds ${this.maxTtlSeconds} seconds`);
    }
    const principal: Principal = {
      kind: "token",
      userId: claims.data.sub,
      orgId: claims.data.org,
      role: claims.data.role,
    };
    this.verified.set(token, principal, claims.data.exp);
    return principal;
  }
}

/**
 * Attaches the principal of the request's bearer token (see {@link BearerVerifier}). On GETs of
 * `jobTokenPaths`, a caller without a bearer token may present one job's access token; only its
 * hash is kept, and the route compares it with the row. With `cookie`, a browser's session cookie
 * (set by `POST /v1/session`) stands in for the header.
 */
export function authenticate(
  verifier: BearerVerifier,
  options: { jobTokenPaths?: RegExp; cookie?: string } = {},
): RequestHandler {
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
    principals.set(req, await verifier.verify(header));
    next();
  };
}

/** The principal `authenticate` attached, if it ran and accepted the request. */
export function attachedPrincipal(req: Request): Principal | undefined {
  return principals.get(req);
}

/** The principal `authenticate` attached; routes behind it always have one. */
export function principalOf(req: Request): Principal {
  const principal = principals.get(req);
  if (principal === undefined) throw new ApiError("unauthorized", "missing bearer token");
  return principal;
}
