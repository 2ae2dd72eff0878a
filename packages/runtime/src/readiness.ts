import type { RedisClient } from "./redis";
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

/**
 * What a Postgres probe reports (the app passes one, e.g. `() => checkDbHealth(db)` from
 * `@jobstream/db`): whether it answered, which migrations are not applied, and the driver's error.
 */
export interface PostgresHealth {
  readonly ok: boolean;
  readonly pendingMigrations: readonly string[];
  readonly error?: string;
}

export type PostgresProbe = () => Promise<PostgresHealth>;

/** The checks readiness runs: runtime knows Redis; how Postgres is asked is the caller's. */
export interface ReadinessChecks {
  readonly redis: RedisClient;
  readonly postgres: PostgresProbe;
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

async function checkRedis(redis: RedisClient, timeoutMs: number): Promise<{ state: DependencyState; error?: string }> {
  try {
    // A connection still being set up gets a moment instead of an instant "not ready".
    if (redis.status !== "ready") await redisReady(redis, timeoutMs);
    await withTimeout(redis.ping(), timeoutMs);
    return { state: "ok" };
  } catch (error) {
    return { state: "down", error: (error as Error).message };
  }
}

/** A Postgres probe's report as a dependency state: a failed, thrown or late probe means `down`. */
export async function checkPostgres(
  probe: PostgresProbe,
  timeoutMs: number,
): Promise<{ state: DependencyState; error?: string; pending?: string[] }> {
  try {
    const health = await withTimeout(probe(), timeoutMs);
    if (health.error !== undefined) return { state: "down", error: health.error };
    if (!health.ok) return { state: "migrations_pending", pending: [...health.pendingMigrations] };
    return { state: "ok" };
  } catch (error) {
    return { state: "down", error: (error as Error).message };
  }
}

/** Redis answers, Postgres answers, every migration is applied. */
export async function checkReadiness(checks: ReadinessChecks, timeoutMs = 2000): Promise<Readiness> {
  const [redis, postgres] = await Promise.all([
    checkRedis(checks.redis, timeoutMs),
    checkPostgres(checks.postgres, timeoutMs),
  ]);
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
