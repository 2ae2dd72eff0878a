import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const readme = fileURLToPath(new URL("../../../README.md", import.meta.url));
const fixtures = fileURLToPath(new URL("fixtures-readme/", import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

/** The ```tsx blocks of the root README that follow a `<!-- example: react -->` marker. */
function reactExamples(): string[] {
  const blocks: string[] = [];
  const pattern = /<!-- example: react -->\n```tsx\n([\s\S]*?)\n```/g;
  for (const match of readFileSync(readme, "utf8").matchAll(pattern)) if (match[1]) blocks.push(match[1]);
  return blocks;
}

// The README's examples are what newcomers copy: they must compile against the packages' sources.
describe("README examples", () => {
  it("compile against @jobstream/react and @jobstream/client", () => {
    const examples = reactExamples();
    expect(examples.length).toBeGreaterThan(0);
    rmSync(fixtures, { recursive: true, force: true });
    mkdirSync(fixtures, { recursive: true });
    const files = examples.map((code, i) => {
      const file = `example-${String(i)}.tsx`;
      const source = code
        .replaceAll('"@jobstream/react"', '"../../src/index.ts"')
        .replaceAll('"@jobstream/client"', '"../../../client/src/index.ts"');
      writeFileSync(`${fixtures}${file}`, source);
      return file;
    });
    writeFileSync(
      `${fixtures}tsconfig.json`,
      JSON.stringify({
        compilerOptions: {
          target: "es2022",
          module: "nodenext",
          moduleResolution: "nodenext",
          jsx: "react-jsx",
          strict: true,
          noEmit: true,
          allowImportingTsExtensions: true,
          lib: ["ES2023", "DOM", "DOM.Iterable"],
          types: [],
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
