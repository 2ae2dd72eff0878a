import { createTestDatabase, type TestDatabase } from "@jobstream/db/testing";
import { testEnv } from "./env";

export type { TestDatabase } from "@jobstream/db/testing";

/** A fresh migrated database cloned from the template; call `drop()` when done (`databaseTest` does). */
export function testDatabase(adminUrl = testEnv.adminDatabaseUrl): Promise<TestDatabase> {
  return createTestDatabase(adminUrl);
}
