import cors from "cors";
import type { RequestHandler } from "express";
import { rateLimit } from "express-rate-limit";
import helmet from "helmet";
import type { Redis } from "@jobstream/runtime";
import { principalOf } from "../auth/authenticate";
import type { Principal } from "../auth/principal";
import { errorBody } from "./errors";
import { SharedRateStore } from "./shared-rate-store";

/** Security headers; the CSP allows the API docs page's own assets and nothing else. */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      directives: { defaultSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", "data:"], scriptSrc: ["'self'"] },
    },
    crossOriginResourcePolicy: { policy: "same-site" },
  });
}

/** CORS for the configured origins only; none configured → no cross-origin access. */
export function corsFor(origins: readonly string[]): RequestHandler {
  return cors({
    origin: origins.length === 0 ? false : [...origins],
    allowedHeaders: ["authorization", "content-type", "x-job-token", "last-event-id"],
    exposedHeaders: ["retry-after", "ratelimit", "ratelimit-policy"],
    maxAge: 600,
  });
}

export function callerKey(principal: Principal): string {
  return principal.kind === "token" ? `user:${principal.orgId}:${principal.userId}` : `job:${principal.tokenHash}`;
}

/**
 * Requests per minute per token (or per job access token), counted in Redis so every API
 * process shares the budget (counted locally and added in Redis every 50 ms: see
 * SharedRateStore for the tolerance). If Redis is down no new window starts, so the limit is not
 * enforced: enqueueing must keep working then (the outbox catches up).
 */
export function rateLimitPerToken(redis: Redis, prefix: string, perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    passOnStoreError: true,
    keyGenerator: (req) => callerKey(principalOf(req)),
    store: new SharedRateStore({ redis, prefix: `${prefix}:~ratelimit:` }),
    handler: (_req, res, _next, options) => {
      res.status(429).json(errorBody("rate_limited", `at most ${String(options.limit)} requests per minute per token`));
    },
  });
}
