import type { DbOrTx } from "../client";
import { pendingMigrations } from "../migrate";
import type { Queryable } from "../pg";

export interface DbHealth {
  readonly ok: boolean;
  readonly pendingMigrations: string[];
  readonly error?: string;
}

/** Readiness: Postgres answers and every migration in the folder is applied. */
export function checkDbHealth(db: DbOrTx): Promise<DbHealth> {
  return healthOf((sql) => db.$queryRawUnsafe<{ migration_name: string }[]>(sql));
}

/**
 * `checkDbHealth` through node-postgres: a process that otherwise never queries through Prisma (the
 * mirror, the housekeeper) stays without Prisma's query compiler, which costs it about 70 MB once loaded.
 */
export function checkPoolHealth(pool: Queryable): Promise<DbHealth> {
  return healthOf(async (sql) => (await pool.query<{ migration_name: string }>(sql)).rows);
}

async function healthOf(query: (sql: string) => Promise<{ migration_name: string }[]>): Promise<DbHealth> {
  try {
    await query("SELECT 1");
    const pending = await pendingMigrations(query);
    return { ok: pending.length === 0, pendingMigrations: pending };
  } catch (error) {
    return { ok: false, pendingMigrations: [], error: (error as Error).message };
  }
}
