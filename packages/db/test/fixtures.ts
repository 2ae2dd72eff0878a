import { randomUUID } from "node:crypto";
import { test as base } from "vitest";
import { createDb, createPool, type Db, type Prisma } from "../src/index";
import { createTestDatabase } from "../src/test-database";
import { ADMIN_URL } from "./env";

/**
 * Each file gets its own migrated database, made when its first test asks for `database`, `pool`
 * or `db` and dropped after its last test; nothing else on the server is touched.
 */
export const test = base
  .extend("adminUrl", { scope: "worker" }, ADMIN_URL)
  .extend("database", { scope: "file" }, async ({ adminUrl }, { onCleanup }) => {
    const database = await createTestDatabase(adminUrl);
    onCleanup(() => database.drop());
    return database;
  })
  .extend("pool", { scope: "file" }, ({ database }, { onCleanup }) => {
    const pool = createPool({ connectionString: database.url, max: 2 });
    // File-scoped cleanups may overlap: the database can be dropped (WITH FORCE) while the pool is
    // still ending, which kills its idle connections. Only then is such an error expected.
    pool.on("error", (error) => {
      if (!pool.ending) throw error;
    });
    onCleanup(() => pool.end());
    return pool;
  })
  .extend("db", { scope: "file" }, ({ database }, { onCleanup }) => {
    const db = createDb({ connectionString: database.url, max: 2 });
    onCleanup(() => db.$disconnect());
    return db;
  });

export function newJob(overrides: Partial<Prisma.JobCreateManyInput> = {}): Prisma.JobCreateManyInput {
  return {
    id: randomUUID(),
    orgId: randomUUID(),
    type: "synthetic",
    subtype: "work",
    name: "test job",
    queue: "synthetic",
    maxAttempts: 3,
    input: {},
    retentionSeconds: 86_400,
    ...overrides,
  };
}

/** Runs a raw statement and returns the Postgres error code it failed with, or null. */
export async function sqlState(db: Db, sql: string, ...values: unknown[]): Promise<string | null> {
  try {
    await db.$executeRawUnsafe(sql, ...values);
    return null;
  } catch (error) {
    // Prisma wraps the driver error; the SQLSTATE is the one fact worth asserting on.
    const code = /originalCode":"([0-9A-Z]{5})"/.exec(JSON.stringify(error));
    return code?.[1] ?? String(error);
  }
}
export { test as it };
