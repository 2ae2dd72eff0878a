/** Servers the tests use; each test creates what it needs there and removes only that. */
export const testEnv = {
  adminDatabaseUrl: process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
  redisUrl: process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
  /** Children get PATH only, plus what the test passes: no stray configuration leaks in. */
  path: process.env.PATH ?? "",
};
