import { createHash } from "node:crypto";
import cors from "cors";
import type { RequestHandler } from "express";
import { rateLimit } from "express-rate-limit";
import helmet from "helmet";
import { RedisStore, type RedisReply } from "rate-limit-redis";
import type { Redis } from "@jobstream/runtime";
import { principalOf } from "../auth/authenticate";
import type { Principal } from "../auth/principal";
import { errorBody } from "./errors";

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
 * The store loads its Lua script once at start-up; if Redis is down then, that load fails for
 * good. Answer a failed SCRIPT LOAD with the script's SHA1 (what Redis would return): the first
 * EVALSHA then gets NOSCRIPT and the store loads the script again, now that Redis answers.
 */
function resilientSendCommand(redis: Redis) {
  return async (command: string, ...args: string[]): Promise<RedisReply> => {
    if (command.toUpperCase() === "SCRIPT" && args[0]?.toUpperCase() === "LOAD" && args[1] !== undefined) {
      const script = args[1];
      return (redis.call(command, ...args) as Promise<RedisReply>).catch(() => createHash("sha1").update(script).digest("hex"));
    }
    return redis.call(command, ...args) as Promise<RedisReply>;
  };
}

/**
 * Requests per minute per token (or per job access token), counted in Redis so every API
 * process shares the budget. If Redis is down the limit is not enforced: enqueueing must keep
 * working then (the outbox catches up).
 */
export function rateLimitPerToken(redis: Redis, prefix: string, perMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: "draft-8",
    legacyHeaders: false,
    passOnStoreError: true,
    keyGenerator: (req) => callerKey(principalOf(req)),
    store: new RedisStore({ prefix: `${prefix}:~ratelimit:`, sendCommand: resilientSendCommand(redis) }),
    handler: (_req, res, _next, options) => {
      res.status(429).json(errorBody("rate_limited", `at most ${String(options.limit)} requests per minute per token`));
    },
  });
}
