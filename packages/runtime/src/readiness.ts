import { checkDbHealth, type DbOrTx } from "@jobstream/db";
import type { Redis } from "ioredis";
import { redisReady } from "./redis";

export interface CheckResult {
  readonly ok: boolean;
  readonly error?: string;
  readonly pendingMigrations?: string[];
}

export interface Readiness {
  readonly ok: boolean;
  readonly checks: { readonly redis: CheckResult; readonly postgres: CheckResult };
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => { reject(new Error(`timed out after ${ms} ms`)); }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function checkRedis(redis: Redis, timeoutMs: number): Promise<CheckResult> {
  try {
    // A connection still being set up gets a moment instead of an instant "not ready".
    if (redis.status !== "ready") await redisReady(redis, timeoutMs);
    await withTimeout(redis.ping(), timeoutMs);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

async function checkPostgres(db: DbOrTx, timeoutMs: number): Promise<CheckResult> {
  try {
    const health = await withTimeout(checkDbHealth(db), timeoutMs);
    if (health.error !== undefined) return { ok: false, error: health.error };
    if (!health.ok) return { ok: false, error: "migrations pending", pendingMigrations: health.pendingMigrations };
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/** Redis answers, Postgres answers, every migration is applied. */
export async function checkReadiness(deps: { redis: Redis; db: DbOrTx }, timeoutMs = 2000): Promise<Readiness> {
  const [redis, postgres] = await Promise.all([checkRedis(deps.redis, timeoutMs), checkPostgres(deps.db, timeoutMs)]);
  return { ok: redis.ok && postgres.ok, checks: { redis, postgres } };
}
