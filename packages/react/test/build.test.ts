import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const clientDir = fileURLToPath(new URL("../../client", import.meta.url));
const consumer = fileURLToPath(new URL("fixtures/consumer/", import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

// What the published package holds: `pnpm build` output (the client's too, which it imports).
beforeAll(() => {
  execFileSync("pnpm", ["-s", "build"], { cwd: clientDir, stdio: "pipe" });
  execFileSync("pnpm", ["-s", "build"], { cwd: packageDir, stdio: "pipe" });
}, 180_000);

describe("the built package", () => {
  it("is ESM JavaScript and declarations whose relative imports name .js files", () => {
    const files = readdirSync(`${packageDir}dist`);
    expect(files).toEqual(expect.arrayContaining(["index.js", "index.d.ts", "use-job.js", "use-job.d.ts"]));
    for (const file of files) {
      const text = readFileSync(`${packageDir}dist/${file}`, "utf8");
      expect(text, file).not.toMatch(/from\s+["']\.{1,2}\/[^"']+\.ts["']/);
    }
    const manifest = JSON.parse(readFileSync(`${packageDir}package.json`, "utf8")) as {
      peerDependencies: Record<string, string>;
      dependencies: Record<string, string>;
      publishConfig: { exports: { ".": { types: string; default: string } } };
    };
    expect(manifest.peerDependencies).toHaveProperty("react");
    expect(manifest.dependencies).not.toHaveProperty("react");
    expect(manifest.publishConfig.exports["."]).toEqual({ types: "./dist/index.d.ts", default: "./dist/index.js" });
  });

  it("type-checks a consumer against the declarations, refusing a wrong id or status", () => {
    const result = spawnSync(process.execPath, [tsc, "-p", "tsconfig.json", "--pretty", "false"], {
      cwd: consumer,
      encoding: "utf8",
    });
    // Unused @ts-expect-error lines would be errors too: the wrong calls really are refused.
    expect(`${result.stdout}${result.stderr}`).toBe("");
    expect(result.status).toBe(0);
  });
});
