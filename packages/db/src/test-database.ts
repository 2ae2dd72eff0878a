import { createHash, randomBytes } from "node:crypto";
import pg from "pg";
import { migrate, readMigrations } from "./migrate";

/** Serialises template creation across concurrently starting test files and packages. */
const TEMPLATE_LOCK = 0x6a6f6273; // "jobs"

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** Drops the database (and only it). */
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Migrated template named after the migrations' checksums: created once, reused by every test
 * until a migration changes. A template left half-made by a crash lacks its "ready" comment and
 * is rebuilt.
 */
export async function ensureTemplate(adminUrl: string): Promise<string> {
  const files = await readMigrations();
  const digest = createHash("sha256")
    .update(files.map((f) => `${f.name}:${f.checksum}`).join("\n"))
    .digest("hex");
  const name = `jobstream_tpl_${digest.slice(0, 12)}`;
  await withAdmin(adminUrl, async (client) => {
    await client.query("SELECT pg_advisory_lock($1)", [TEMPLATE_LOCK]);
    const { rows } = await client.query<{ ready: string | null }>(
      "SELECT shobj_description(oid, 'pg_database') AS ready FROM pg_database WHERE datname = $1",
      [name],
    );
    if (rows[0]?.ready === "ready") return;
    if (rows.length > 0) await client.query(`DROP DATABASE "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
    await migrate({ connectionString: withDatabase(adminUrl, name) });
    await client.query(`COMMENT ON DATABASE "${name}" IS 'ready'`);
  });
  return name;
}

/** Creates `name` (from `template`, else empty) and hands it over with its URL and its drop. */
async function newDatabase(adminUrl: string, name: string, template?: string): Promise<TestDatabase> {
  const from = template === undefined ? "" : ` TEMPLATE "${template}"`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"${from}`));
  return {
    name,
    url: withDatabase(adminUrl, name),
    drop: () =>
      withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

/** A fresh, fully migrated database of its own for one test file. */
export async function createTestDatabase(adminUrl: string): Promise<TestDatabase> {
  const template = await ensureTemplate(adminUrl);
  return newDatabase(adminUrl, `jobstream_test_${randomBytes(6).toString("hex")}`, template);
}

/** An empty database of its own (no migration applied), for tests of the migrations themselves. */
export function createEmptyTestDatabase(adminUrl: string, prefix = "jobstream_empty"): Promise<TestDatabase> {
  return newDatabase(adminUrl, `${prefix}_${randomBytes(6).toString("hex")}`);
}
