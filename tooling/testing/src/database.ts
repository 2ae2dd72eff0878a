import { createTestDatabase, type TestDatabase } from "@jobstream/db/testing";
import { testEnv } from "./env";

export type { TestDatabase } from "@jobstream/db/testing";

/** A fresh migrated database cloned from the template; call `drop()` in afterAll. */
export function testDatabase(): Promise<TestDatabase> {
  return createTestDatabase(testEnv.adminDatabaseUrl);
}
