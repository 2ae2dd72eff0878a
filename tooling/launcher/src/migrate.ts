// `pnpm db:migrate`: applies pending migrations to DATABASE_URL (created if missing).
import { migrate } from "@jobstream/db/migrate";
import { loadEnv } from "./env";
import { ensurePostgres } from "./postgres";

const env = loadEnv();
try {
  const postgres = await ensurePostgres(env.DATABASE_URL, env.EMBEDDED_POSTGRES_PORT);
  const { applied } = await migrate({
    connectionString: postgres.url,
    log: (m) => {
      console.log(`migrate: ${m}`);
    },
  });
  console.log(
    applied.length === 0 ? "migrate: database is up to date" : `migrate: applied ${applied.length} migration(s)`,
  );
  await postgres.stop();
} catch (error) {
  console.error(`migrate: ${(error as Error).message}`);
  process.exit(1);
}
