import type { DbOrTx } from "../client";
import { pendingMigrations } from "../migrate";

export interface DbHealth {
  readonly ok: boolean;
  readonly pendingMigrations: string[];
  readonly error?: string;
}

/** Readiness: Postgres answers and every migration in the folder is applied. */
export async function checkDbHealth(db: DbOrTx): Promise<DbHealth> {
  try {
    await db.$queryRaw`SELECT 1`;
    const pending = await pendingMigrations((sql) => db.$queryRawUnsafe<{ migration_name: string }[]>(sql));
    return { ok: pending.length === 0, pendingMigrations: pending };
  } catch (error) {
    return { ok: false, pendingMigrations: [], error: (error as Error).message };
  }
}
