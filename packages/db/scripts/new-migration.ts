// Writes the next migration from a change to prisma/schema.prisma:
//   pnpm --filter @jobstream/db migration:new add_job_labels
// Review the file, add what Prisma cannot express (CHECKs, views), then commit it.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dbPackageRoot, migrateDiff } from "./prisma6";

const name = process.argv[2];
if (name === undefined || !/^[a-z0-9_]{1,60}$/.test(name)) {
  console.error("usage: pnpm --filter @jobstream/db migration:new <snake_case_name>");
  process.exit(2);
}

const result = migrateDiff(["--script"]);
if (result.status !== 0) {
  console.error(result.stderr || result.stdout);
  process.exit(result.status ?? 1);
}
if (result.stdout.includes("This is an empty migration")) {
  console.log("schema.prisma and the migrations agree: nothing to write");
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
const dir = join(dbPackageRoot, "prisma", "migrations", `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, "migration.sql"), result.stdout);
console.log(`wrote ${join(dir, "migration.sql")}\n\n${result.stdout}`);
