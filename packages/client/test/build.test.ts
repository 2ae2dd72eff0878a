import { execFileSync, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const fixtures = fileURLToPath(new URL("fixtures/typed-input/", import.meta.url));
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

function compile(project: string): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, [tsc, "-p", project, "--pretty", "false"], {
    cwd: fixtures,
    encoding: "utf8",
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

// What a consumer of the published package gets: `pnpm build` output, imported by plain Node and
// type-checked by a project that knows nothing of the workspace (NodeNext, no skipLibCheck).
beforeAll(() => {
  execFileSync("pnpm", ["-s", "build"], { cwd: packageDir, stdio: "pipe" });
}, 120_000);

describe("the built package", () => {
  it("imports from plain Node (no tsx, no workspace sources)", () => {
    const script = `import(${JSON.stringify(`${packageDir}dist/index.js`)}).then((m) => console.log(JSON.stringify({
      createClient: typeof m.createClient, ValidationError: new m.ValidationError("validation_failed", "x").name,
      final: m.finalJobStatuses })))`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], {
      cwd: tmpdir(),
      encoding: "utf8",
    });
    expect(JSON.parse(out)).toEqual({
      createClient: "function",
      ValidationError: "ValidationError",
      final: ["completed", "failed", "cancelled"],
    });
  });

  it("ships declarations that accept valid inputs", () => {
    const result = compile("tsconfig.accepted.json");
    expect(result.output).toBe("");
    expect(result.status).toBe(0);
  });

  it("makes a wrong input for a type/subtype a compile error, on the expected lines", () => {
    const result = compile("tsconfig.rejected.json");
    expect(result.status).not.toBe(0);
    const errors = result.output.split("\n").filter((line) => line.startsWith("rejected.ts("));
    const lines = new Set(errors.map((line) => Number(/^rejected\.ts\((\d+),/.exec(line)?.[1])));
    expect([...lines].sort()).toEqual([5, 6, 7, 8]);
    expect(result.output).toMatch(
      /rejected\.ts\(5,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/,
    );
    expect(result.output).toMatch(
      /rejected\.ts\(6,\d+\): error TS2353: .*'durationMs' does not exist in type '\{ items\?: number/,
    );
    expect(result.output).toMatch(
      /rejected\.ts\(7,\d+\): error TS2322: Type '"sleep"' is not .*'SubtypeName<"synthetic"> \| undefined'/,
    );
    expect(result.output).toMatch(
      /rejected\.ts\(8,\d+\): error TS2739: Type '\{ csv: string; \}' is missing the following .*: columns, keyColumn/,
    );
  });
});
