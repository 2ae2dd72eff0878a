/**
 * Run after `tsc -p tsconfig.build.json` from a published package's folder (`tsx <this file>`).
 *
 * tsc rewrites `./x.ts` imports to `./x.js` in the emitted JavaScript but not in the declarations;
 * older TypeScript versions in consumers resolve only `.js` there, so the `.d.ts` files get the same.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dist = join(process.cwd(), "dist");

for (const entry of readdirSync(dist, { recursive: true, encoding: "utf8" })) {
  if (!entry.endsWith(".d.ts")) continue;
  const file = join(dist, entry);
  const text = readFileSync(file, "utf8");
  writeFileSync(file, text.replace(/(from\s+["']\.{1,2}\/[^"']+)\.ts(["'])/g, "$1.js$2"));
}
