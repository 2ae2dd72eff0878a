#!/usr/bin/env node
// pnpm 10 hands a few commands to npm before it looks at scripts, `token` among them, so
// `pnpm token` would run `npm token`. The repository's .npmrc points pnpm's `npm-path` here: the
// `token` command runs the Jobstream CLI; everything else goes to npm unchanged.
import { spawnSync } from "node:child_process";

const args = process.argv.slice(2);
if (args[0] === "token") {
  await import("./dev.js");
} else {
  const result = spawnSync("npm", args, { stdio: "inherit", shell: process.platform === "win32" });
  process.exitCode = result.status ?? 1;
}
