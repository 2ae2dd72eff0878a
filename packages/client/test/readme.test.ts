import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const readme = fileURLToPath(new URL("../../../README.md", import.meta.url));
const fixtures = fileURLToPath(new URL("fixtures/readme/", import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

/** The ```ts blocks of the root README that follow a `<!-- example: client -->` marker. */
function clientExamples(): string[] {
  const blocks: string[] = [];
  const pattern = /<!-- example: client -->\n```ts\n([\s\S]*?)\n```/g;
  for (const match of readFileSync(readme, "utf8").matchAll(pattern)) if (match[1]) blocks.push(match[1]);
  return blocks;
}

// The README's examples are what newcomers copy: they must compile against the package's sources.
describe("README examples", () => {
  it("compile against @jobstream/client", () => {
    const examples = clientExamples();
    expect(examples.length).toBeGreaterThan(0);
    rmSync(fixtures, { recursive: true, force: true });
    mkdirSync(fixtures, { recursive: true });
    const files = examples.map((code, i) => {
      const file = `example-${i}.ts`;
      writeFileSync(
        `${fixtures}${file}`,
        `${code.replaceAll('"@jobstream/client"', '"../../../src/index.ts"')}\nexport {};\n`,
      );
      return file;
    });
    writeFileSync(
      `${fixtures}tsconfig.json`,
      JSON.stringify({
        compilerOptions: {
          target: "es2022",
          module: "nodenext",
          moduleResolution: "nodenext",
          strict: true,
          noEmit: true,
          allowImportingTsExtensions: true,
          types: ["node"],
          skipLibCheck: true,
        },
        files,
      }),
    );
    const result = spawnSync(process.execPath, [tsc, "-p", fixtures, "--pretty", "false"], { encoding: "utf8" });
    expect(`${result.stdout}${result.stderr}`).toBe("");
    expect(result.status).toBe(0);
  }, 60_000);
});
