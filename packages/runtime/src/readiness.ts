import { checkDbHealth, type DbOrTx } from "@jobstream/db";
import type { Redis } from "ioredis";
import { redisReady } from "./redis";

/** What `/readyz` says about one dependency; the error text behind a `down` goes to the log only. */
export type DependencyState = "ok" | "down" | "migrations_pending";
export type DependencyName = "redis" | "postgres";

export interface Readiness {
  readonly ok: boolean;
  readonly checks: { readonly redis: DependencyState; readonly postgres: DependencyState };
  /** Why a check failed (raw driver text): for the log, never for the answer. */
  readonly errors: Partial<Record<DependencyName, string>>;
  readonly pendingMigrations?: readonly string[];
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`timed out after ${ms} ms`));
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function checkRedis(redis: Redis, timeoutMs: number): Promise<{ state: DependencyState; error?: string }> {
  try {
    // A connection still being set up gets a moment instead of an instant "not ready".
    if (redis.status !== "ready") await redisReady(redis, timeoutMs);
    await withTimeout(redis.ping(), timeoutMs);
    return { state: "ok" };
  } catch (error) {
    return { state: "down", error: (error as Error).message };
  }
}

async function checkPostgres(
  db: DbOrTx,
  timeoutMs: number,
): Promise<{ state: DependencyState; error?: string; pending?: string[] }> {
  try {
    const health = await withTimeout(checkDbHealth(db), timeoutMs);
    if (health.error !== undefined) return { state: "down", error: health.error };
    if (!health.ok) return { state: "migrations_pending", pending: health.pendingMigrations };
    return { state: "ok" };
  } catch (error) {
    return { state: "down", error: (error as Error).message };
  }
}

/** Redis answers, Postgres answers, every migration is applied. */
export async function checkReadiness(deps: { redis: Redis; db: DbOrTx }, timeoutMs = 2000): Promise<Readiness> {
  const [redis, postgres] = await Promise.all([checkRedis(deps.redis, timeoutMs), checkPostgres(deps.db, timeoutMs)]);
  const errors: Partial<Record<DependencyName, string>> = {};
  if (redis.error !== undefined) errors.redis = redis.error;
  if (postgres.error !== undefined) errors.postgres = postgres.error;
  return {
    ok: redis.state === "ok" && postgres.state === "ok",
    checks: { redis: redis.state, postgres: postgres.state },
    errors,
    ...(postgres.pending ? { pendingMigrations: postgres.pending } : {}),
  };
}
