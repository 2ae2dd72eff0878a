import { cp, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkDbHealth, checkPoolHealth, createDb, createPool } from "../src/index";
import { MIGRATIONS_DIR, migrate, readMigrations } from "../src/migrate";
import { ADMIN_URL } from "./env";

const name = `jobstream_migrate_${process.pid}_${Date.now()}`;
const url = (() => {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
})();
let dir: string;

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await admin(`CREATE DATABASE "${name}"`);
  dir = await mkdtemp(join(tmpdir(), "jobstream-migrations-"));
  await cp(MIGRATIONS_DIR, dir, { recursive: true });
});

afterAll(async () => {
  await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await rm(dir, { recursive: true, force: true });
});

describe("migrate", () => {
  it("reports pending migrations on an empty database", async () => {
    const db = createDb({ connectionString: url, max: 1 });
    const health = await checkDbHealth(db);
    await db.$disconnect();
    expect(health.ok).toBe(false);
    expect(health.pendingMigrations.length).toBeGreaterThan(0);
    const pool = createPool({ connectionString: url, max: 1 });
    expect(await checkPoolHealth(pool)).toEqual(health);
    await pool.end();
  });

  it("applies every migration once, recording them as Prisma does", async () => {
    const files = await readMigrations(dir);
    expect((await migrate({ connectionString: url, dir })).applied).toEqual(files.map((f) => f.name));
    expect((await migrate({ connectionString: url, dir })).applied).toEqual([]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ migration_name: string; checksum: string; applied_steps_count: number }>(
      `SELECT migration_name, checksum, applied_steps_count FROM _prisma_migrations
       WHERE finished_at IS NOT NULL ORDER BY migration_name`,
    );
    await client.end();
    expect(rows).toEqual(files.map((f) => ({ migration_name: f.name, checksum: f.checksum, applied_steps_count: 1 })));
    const db = createDb({ connectionString: url, max: 1 });
    expect(await checkDbHealth(db)).toEqual({ ok: true, pendingMigrations: [] });
    await db.$disconnect();
    const pool = createPool({ connectionString: url, max: 1 });
    expect(await checkPoolHealth(pool)).toEqual({ ok: true, pendingMigrations: [] });
    await pool.end();
  });

  it("refuses an applied migration whose file changed", async () => {
    const [first] = await readMigrations(dir);
    if (!first) throw new Error("no migrations");
    await writeFile(join(dir, first.name, "migration.sql"), `${first.sql}\n-- edited\n`);
    await expect(migrate({ connectionString: url, dir })).rejects.toThrow(/changed after it was applied/);
  });

  it("rolls back a failing migration and records nothing", async () => {
    const bad = await mkdtemp(join(tmpdir(), "jobstream-bad-"));
    await cp(dir, bad, { recursive: true });
    const [first] = await readMigrations(dir);
    if (!first) throw new Error("no migrations");
    await cp(join(MIGRATIONS_DIR, first.name, "migration.sql"), join(bad, first.name, "migration.sql"));
    await cp(join(MIGRATIONS_DIR, first.name), join(bad, "29991231000000_broken"), { recursive: true });
    await writeFile(
      join(bad, "29991231000000_broken", "migration.sql"),
      "CREATE TABLE t_ok (id int); SELECT no_such_function();",
    );
    await expect(migrate({ connectionString: url, dir: bad })).rejects.toThrow(/29991231000000_broken failed/);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query(
      `SELECT to_regclass('t_ok') AS t,
              (SELECT count(*)::int FROM _prisma_migrations WHERE migration_name LIKE '2999%') AS n`,
    );
    await client.end();
    await rm(bad, { recursive: true, force: true });
    expect(rows[0]).toEqual({ t: null, n: 0 });
  });
});
