// Prisma 6.19.3 CLI config (aliased npm:prisma@6.19.3) for migrate commands without the native
// schema engine: the WebAssembly schema engine over @prisma/adapter-pg 6.19.3.
// Use:  node node_modules/prisma6/build/index.js migrate diff --config prisma/prisma6.config.ts \
//         --from-migrations prisma/migrations --to-schema-datamodel node_modules/.prisma6/schema.prisma --script
import { defineConfig } from "prisma6/config";
import { PrismaPg } from "prisma6-adapter-pg";
import pg from "pg";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { shadowServerUrl } from "./env";

// Prisma 6 needs `url` in the datasource, Prisma 7 forbids it: write a copy of the one schema.
const here = dirname(fileURLToPath(import.meta.url));
const copy = join(here, "..", "node_modules", ".prisma6", "schema.prisma");
mkdirSync(dirname(copy), { recursive: true });
writeFileSync(
  copy,
  readFileSync(join(here, "schema.prisma"), "utf8").replace(
    /(datasource\s+\w+\s*\{[^}]*?provider\s*=\s*"[^"]*")/,
    '$1\n  url = env("DATABASE_URL")',
  ),
);

// Separate fields, never a connectionString: adapter-pg builds the shadow config as
// {...config, database}, which a connectionString would override (shadow = real database).
const u = new URL(shadowServerUrl);
const base: pg.PoolConfig = {
  host: u.hostname,
  port: Number(u.port || 5432),
  database: u.pathname.slice(1) || "postgres",
  user: decodeURIComponent(u.username),
  password: decodeURIComponent(u.password) || undefined,
  allowExitOnIdle: true, // the CLI never closes its main pool: without this it waits ~10 s
};

// Type OIDs adapter-pg 6.19.3 maps; any other built-in one (name, regproc, ...) is returned as text.
const KNOWN = new Set([
  16, 17, 20, 21, 23, 25, 26, 114, 142, 650, 700, 701, 790, 869, 1042, 1043, 1082, 1083, 1114, 1184, 1266, 1560, 1562,
  1700, 2950, 3802, 143, 199, 651, 791, 1000, 1001, 1002, 1005, 1007, 1009, 1014, 1015, 1016, 1021, 1022, 1028, 1041,
  1115, 1182, 1183, 1185, 1231, 1561, 1563, 2951, 3807,
]);

function patch<T>(adapter: T): T {
  const a = adapter as any;
  const io = a.performIO.bind(a);
  a.performIO = async (query: unknown) => {
    const r = await io(query);
    if (Array.isArray(r)) return r; // a multi-statement migration script sent as one query
    r.rows.charCols = [];
    r.fields.forEach((f: any, i: number) => {
      if (f.dataTypeID === 18) r.rows.charCols.push(i); // "char" (pg_constraint.contype...)
      if (f.dataTypeID < 16384 && !KNOWN.has(f.dataTypeID))
        f.dataTypeID = r.rows.some((row: any[]) => Array.isArray(row[i])) ? 1009 : 25;
    });
    return r;
  };
  const queryRaw = a.queryRaw.bind(a);
  a.queryRaw = async (query: unknown) => {
    const res = await queryRaw(query);
    for (const i of res.rows.charCols ?? []) res.columnTypes[i] = 6; // the engine wants Character
    return res;
  };
  if (a.startTransaction) {
    const start = a.startTransaction.bind(a);
    a.startTransaction = async (...args: unknown[]) => patch(await start(...args));
  }
  // One query, not split on ';' (which breaks $$ bodies).
  a.executeScript = async (sql: string) => {
    try {
      await a.client.query(sql);
    } catch (e) {
      a.onError(e);
    }
  };
  return adapter;
}

async function admin(sql: string) {
  const c = new pg.Client(base);
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

class MigratePg extends PrismaPg {
  async connect() {
    return patch(await super.connect());
  }
  async connectToShadowDb() {
    const database = `prisma_shadow_${process.pid}_${Date.now()}`;
    await admin(`CREATE DATABASE "${database}"`);
    const a = patch(await new PrismaPg({ ...base, database }).connect());
    const endPool = a.dispose.bind(a);
    // close the pool first, then drop (adapter-pg drops first and fails: "being accessed")
    a.dispose = async () => {
      await endPool();
      await admin(`DROP DATABASE IF EXISTS "${database}"`);
    };
    return a;
  }
}

export default defineConfig({
  engine: "js",
  experimental: { adapter: true },
  adapter: async () => new MigratePg(base),
});
