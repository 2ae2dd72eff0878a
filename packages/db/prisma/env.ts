// The one place the Prisma CLI configs touch the environment.
// Pointing the engine variables at any existing file stops Prisma from downloading native engines
// (there is no internet here); CHECKPOINT_DISABLE stops its update check.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= "/bin/false";
process.env.PRISMA_QUERY_ENGINE_LIBRARY ??= "/bin/false";
process.env.CHECKPOINT_DISABLE ??= "1";

/** Server the Prisma 6 CLI creates its temporary shadow database on (the main database is not touched). */
// An empty DATABASE_URL counts as unset.
// eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
export const shadowServerUrl = process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres";
