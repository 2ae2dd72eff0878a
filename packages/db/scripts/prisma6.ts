import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * `prisma migrate diff` from the migrations folder to the schema, through the Prisma 6 CLI and
 * its WebAssembly schema engine (see prisma/prisma6.config.ts): no native engine, no download.
 */
export function migrateDiff(extraArgs: readonly string[]): SpawnSyncReturns<string> {
  return spawnSync(
    process.execPath,
    [
      "node_modules/prisma6/build/index.js",
      "migrate",
      "diff",
      "--config",
      "prisma/prisma6.config.ts",
      "--from-migrations",
      "prisma/migrations",
      "--to-schema-datamodel",
      "node_modules/.prisma6/schema.prisma",
      ...extraArgs,
    ],
    { cwd: root, encoding: "utf8" },
  );
}

export const dbPackageRoot = root;
