import { createHash } from "node:crypto";
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import cors from "cors";
import type { Request, RequestHandler, Response } from "express";
import { rateLimit, type RateLimitInfo } from "express-rate-limit";
import helmet from "helmet";
import type { RedisClient } from "@jobstream/runtime";
import { principalOf } from "../auth/authenticate";
import type { Principal } from "../auth/principal";
import { ApiError, errorBody } from "./errors";
import { SharedRateStore } from "./shared-rate-store";

/**
 * Security headers; the CSP allows the API docs page's own assets and nothing else. helmet decides
 * them, once: with this static configuration they do not depend on the request, and running its
 * eleven middlewares on every request cost ≈ 4 % of a cheap read's CPU.
 */
export const SECURITY_HEADERS: readonly (readonly [string, string])[] = headersSetBy(
  helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:"],
        scriptSrc: ["'self'"],
      },
    },
    crossOriginResourcePolicy: { policy: "same-site" },
  }),
);

export function securityHeaders(): RequestHandler {
  return (_req, res, next) => {
    for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value);
    next();
  };
}

/** The headers helmet sets with a request-independent configuration, found by running it once on a stand-in. */
function headersSetBy(middleware: ReturnType<typeof helmet>): [string, string][] {
  const headers = new Map<string, string>();
  const res = {
    setHeader: (name: string, value: string) => headers.set(name, value),
    removeHeader: (name: string) => headers.delete(name),
  };
  const state = { done: false };
  middleware({ headers: {} } as IncomingMessage, res as unknown as ServerResponse, (error?: unknown) => {
    if (error !== undefined) throw error instanceof Error ? error : new Error("helmet refused its configuration");
    state.done = true;
  });
  if (!state.done) throw new Error("helmet did not finish synchronously");
  return [...headers];
}

/** CORS for the configured origins; mount it only when there are some (none: no cross-origin access). */
export function corsFor(origins: readonly string[]): RequestHandler {
  return cors({
    origin: [...origins],
    allowedHeaders: ["authorization", "content-type", "x-job-token", "last-event-id"],
    exposedHeaders: ["retry-after", "ratelimit", "ratelimit-policy"],
    maxAge: 600,
  });
}

export function callerKey(principal: Principal): string {
  return principal.kind === "token" ? `user:${principal.orgId}:${principal.userId}` : `job:${principal.tokenHash}`;
}

/** The per-token window: requests are counted per minute. */
export const TOKEN_WINDOW_MS = 60_000;

/** The header's partition key of a caller key: a short hash, so the header does not reveal the key. */
const partitionKeys = new Map<string, string>();
const PARTITION_KEYS_KEPT = 10_000;

function partitionKeyOf(key: string): string {
  let partition = partitionKeys.get(key);
  if (partition === undefined) {
    if (partitionKeys.size >= PARTITION_KEYS_KEPT) partitionKeys.clear();
    partition = Buffer.from(createHash("sha256").update(key).digest("hex").slice(0, 12)).toString("base64");
    partitionKeys.set(key, partition);
  }
  return partition;
}

/**
 * A token's budget in the headers of every answer it gets, as IETF draft 8 (`RateLimit`,
 * `RateLimit-Policy`; the format express-rate-limit writes), plus `Retry-After` once it is spent.
 * One function for the Express chain and the lean read path (jobs/hot-read.ts).
 */
export function tokenLimitHeaders(limit: number, key: string, used: number, resetAt: number): OutgoingHttpHeaders {
  const name = `${String(limit)}-in-${String(TOKEN_WINDOW_MS / 60_000)}min`;
  const resetSeconds = Math.max(0, Math.ceil((resetAt - Date.now()) / 1000));
  return {
    ratelimit: `"${name}"; r=${String(Math.max(limit - used, 0))}; t=${String(resetSeconds)}`,
    "ratelimit-policy": `"${name}"; q=${String(limit)}; w=${String(TOKEN_WINDOW_MS / 1000)}; pk=:${partitionKeyOf(key)}:`,
    ...(used > limit ? { "retry-after": String(resetSeconds) } : {}),
  };
}

/** What express-rate-limit counted for this request (its `requestPropertyName`). */
const countedBy = (req: Request): RateLimitInfo | undefined =>
  (req as Request & { rateLimit?: RateLimitInfo }).rateLimit;

function setTokenLimitHeaders(req: Request, res: Response): void {
  const info = countedBy(req);
  if (info?.resetTime === undefined || res.headersSent) return;
  res.set(tokenLimitHeaders(info.limit, info.key, info.used, info.resetTime.getTime()));
}

/**
 * Requests per minute per bearer token, counted in Redis so every API process shares the budget
 * (counted locally and added in Redis every 50 ms: see SharedRateStore for the tolerance). If
 * Redis is down no new window starts, so the limit is not enforced: enqueueing must keep working
 * then (the outbox catches up). Job-token callers are counted by address instead
 * ({@link rateLimitByAddress}): a bucket per presented token would give every guess a fresh one.
 * The lean read path counts in the same `store` (jobs/hot-read.ts).
 */
export function rateLimitPerToken(store: SharedRateStore, perMinute: number): RequestHandler {
  const limiter = rateLimit({
    windowMs: TOKEN_WINDOW_MS,
    limit: perMinute,
    standardHeaders: false,
    legacyHeaders: false,
    passOnStoreError: true,
    skip: (req) => principalOf(req).kind !== "token",
    keyGenerator: (req) => callerKey(principalOf(req)),
    store,
    handler: (req, res, _next, options) => {
      setTokenLimitHeaders(req, res);
      res.status(429).json(errorBody("rate_limited", `at most ${String(options.limit)} requests per minute per token`));
    },
  });
  return (req, res, next) =>
    limiter(req, res, (error?: unknown) => {
      if (error === undefined) setTokenLimitHeaders(req, res);
      next(error);
    });
}

const hasBearer = (req: Request): boolean => req.get("authorization") !== undefined;

/** The client's address: the socket's, or the forwarded one as far as Express's `trust proxy` allows. */
const addressOf = (req: Request): string => `addr:${req.ip ?? req.socket.remoteAddress ?? "unknown"}`;

/** Limits by client address for callers without a verified bearer token (see {@link addressLimits}). */
export interface AddressLimits {
  /** Before `authenticate`: counts every request without a bearer token, before any lookup. */
  readonly anonymous: RequestHandler;
  /** Wraps `authenticate`: a bearer token it refuses spends the address's budget (429 once spent). */
  countingRefusals(authenticate: RequestHandler): RequestHandler;
}

/**
 * Requests per minute per client address for callers without a verified bearer token, counted
 * before any lookup so that failed ones spend the budget too: every request without a bearer
 * token (anonymous, or holding a job access token, right or wrong), and every bearer token that
 * fails authentication. A valid bearer token is never held back by its address (it has its own
 * budget). The address honours `trust proxy` (`TRUST_PROXY`): behind a proxy configure it, or
 * every caller shares the proxy's address.
 */
export function addressLimits(redis: RedisClient, prefix: string, perMinute: number): AddressLimits {
  const common = {
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    passOnStoreError: true,
    keyGenerator: addressOf,
    // The address is req.ip as Express resolves it; a forwarded header is honoured only when trusted.
    validate: { xForwardedForHeader: false },
    handler: (_req, res, _next, options) => {
      res
        .status(429)
        .json(
          errorBody(
            "rate_limited",
            `at most ${String(options.limit)} requests per minute from this address without a valid token`,
          ),
        );
    },
  } satisfies Parameters<typeof rateLimit>[0];
  const anonymous = rateLimit({
    ...common,
    skip: hasBearer,
    store: new SharedRateStore({ redis, prefix: `${prefix}:~ratelimit-anon:` }),
  });
  const refused = rateLimit({
    ...common,
    store: new SharedRateStore({ redis, prefix: `${prefix}:~ratelimit-refused:` }),
  });
  return {
    anonymous,
    countingRefusals: (authenticate) => async (req, res, next) => {
      try {
        await Promise.resolve(authenticate(req, res, next));
      } catch (error) {
        if (!(error instanceof ApiError) || error.code !== "unauthorized" || !hasBearer(req)) throw error;
        // Under the budget the refusal is answered as usual; over it, the limiter answers 429.
        await refused(req, res, () => {
          next(error);
        });
      }
    },
  };
}
