import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const readme = fileURLToPath(new URL("../../../README.md", import.meta.url));

/** The fenced `lang` blocks of the root README that follow a `<!-- example: <name> -->` marker. */
export function readmeExamples(name: string, lang: "ts" | "tsx"): string[] {
  const blocks: string[] = [];
  const pattern = new RegExp(`<!-- example: ${name} -->\\n+\`\`\`${lang}\\n([\\s\\S]*?)\\n\`\`\``, "g");
  for (const match of readFileSync(readme, "utf8").matchAll(pattern)) if (match[1]) blocks.push(match[1]);
  return blocks;
}

export interface CompileOptions {
  /** Where the examples are written (a git-ignored folder, emptied first). */
  readonly dir: string;
  readonly extension: "ts" | "tsx";
  /** Import specifiers to rewrite, e.g. the package name to its source entry relative to `dir`. */
  readonly imports: Readonly<Record<string, string>>;
  readonly compilerOptions: Readonly<Record<string, unknown>>;
}

/**
 * Type-checks README examples as a newcomer would paste them (only their imports rewritten to the
 * workspace sources); returns tsc's output and exit status.
 */
export function compileExamples(
  examples: readonly string[],
  options: CompileOptions,
): { output: string; status: number | null } {
  rmSync(options.dir, { recursive: true, force: true });
  mkdirSync(options.dir, { recursive: true });
  const files = examples.map((code, i) => {
    const file = `example-${String(i)}.${options.extension}`;
    let source = code;
    for (const [from, to] of Object.entries(options.imports)) source = source.replaceAll(`"${from}"`, `"${to}"`);
    // A module, so top-level await and local names do not clash between examples.
    writeFileSync(`${options.dir}/${file}`, `${source}\nexport {};\n`);
    return file;
  });
  writeFileSync(
    `${options.dir}/tsconfig.json`,
    JSON.stringify({
      compilerOptions: {
        target: "es2022",
        module: "nodenext",
        moduleResolution: "nodenext",
        strict: true,
        noEmit: true,
        allowImportingTsExtensions: true,
        skipLibCheck: true,
        ...options.compilerOptions,
      },
      files,
    }),
  );
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", options.dir, "--pretty", "false"], { encoding: "utf8" });
  return { output: `${result.stdout}${result.stderr}`, status: result.status };
}
