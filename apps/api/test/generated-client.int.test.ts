import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import { systemTest } from "@jobstream/testing/fixtures";
import { describe, expect } from "vitest";

// Proof that /openapi.json is good enough for a generated client: openapi-typescript types it,
// an openapi-fetch program compiles with those types, and it runs the quickstart against a live API.
const apiDir = fileURLToPath(new URL("..", import.meta.url));
const tsc = join(apiDir, "node_modules/typescript/bin/tsc");
const run = promisify(execFile);

/** What a producer would write: enqueue a synthetic job, poll it until it is final, print it. */
const QUICKSTART = `import createClient from "openapi-fetch";
import type { paths } from "./schema";

const client = createClient<paths>({
  baseUrl: process.env.JOBSTREAM_URL ?? "http://localhost:3000",
  headers: { authorization: \`Bearer \${process.env.JOBSTREAM_TOKEN ?? ""}\` },
});

const enqueued = await client.POST("/v1/jobs", {
  body: { type: "synthetic", subtype: "work", name: "generated client", input: { durationMs: 300, items: 3 } },
});
if (enqueued.data === undefined) throw new Error(\`enqueue failed: \${JSON.stringify(enqueued.error)}\`);
const id: string = enqueued.data.job.id;

for (let i = 0; i < 600; i++) {
  const { data: job, error } = await client.GET("/v1/jobs/{id}", { params: { path: { id } } });
  if (job === undefined) throw new Error(\`GET failed: \${error.error.code}\`);
  if (job.status === "completed" || job.status === "failed" || job.status === "cancelled") {
    const items = await client.GET("/v1/jobs/{id}/items", { params: { path: { id }, query: { limit: 10 } } });
    const seen = { id: job.id, status: job.status, output: job.output, items: items.data?.items.length };
    console.log(JSON.stringify(seen));
    process.exit(0);
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
}
throw new Error("the job did not finish in 60 s");
`;

/** The same client misused: each line must be a compile error, or the types prove nothing. */
const MISUSE = `import createClient from "openapi-fetch";
import type { paths } from "./schema";

const client = createClient<paths>({ baseUrl: "http://localhost:3000" });
await client.GET("/v1/no-such-route");
await client.POST("/v1/jobs", { body: { kind: "synthetic" } });
const { data } = await client.GET("/v1/jobs/{id}", { params: { path: { id: "x" } } });
if (data?.status === "exploded") console.log("never");
`;

const tsconfig = (file: string) =>
  JSON.stringify({
    compilerOptions: {
      target: "ES2023",
      lib: ["ES2023", "DOM"],
      module: "Preserve",
      moduleResolution: "Bundler",
      strict: true,
      noUncheckedIndexedAccess: true,
      noEmit: true,
      skipLibCheck: false,
      types: ["node"],
    },
    files: [file],
  });

async function compile(dir: string, config: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(process.execPath, [tsc, "-p", join(dir, config)], { cwd: dir, timeout: 120_000 });
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

const it = systemTest(async (sys) => {
  await sys.startApi({ ENABLE_SYNTHETIC_JOBS: "true" });
  await sys.startWorker("work,mirror", { ENABLE_SYNTHETIC_JOBS: "true" });
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from this pattern
}).extend("dir", { scope: "file" }, async ({}, { onCleanup }) => {
  // Inside the package's node_modules so the program resolves openapi-fetch, @types/node and tsx.
  await mkdir(join(apiDir, "node_modules/.cache"), { recursive: true });
  const dir = await mkdtemp(join(apiDir, "node_modules/.cache/generated-client-"));
  onCleanup(() => rm(dir, { recursive: true, force: true }));
  return dir;
});

describe("a client generated from /openapi.json", () => {
  it("compiles, rejects misuse, and runs the quickstart against the live API", async ({ sys, dir }) => {
    const doc = await sys.request<OpenAPI3>("GET", "/openapi.json");
    expect(doc.status).toBe(200);
    const types = astToString(await openapiTS(doc.body));
    // Method names and answer shapes came through.
    expect(types).toContain("enqueueJob: {");
    expect(types).toContain('"/v1/jobs/{id}": {');
    await writeFile(join(dir, "schema.d.ts"), types);
    await writeFile(join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
    await writeFile(join(dir, "quickstart.ts"), QUICKSTART);
    await writeFile(join(dir, "misuse.ts"), MISUSE);
    await writeFile(join(dir, "tsconfig.json"), tsconfig("quickstart.ts"));
    await writeFile(join(dir, "tsconfig.misuse.json"), tsconfig("misuse.ts"));

    const good = await compile(dir, "tsconfig.json");
    expect(good.output).toBe("");
    expect(good.code).toBe(0);

    const bad = await compile(dir, "tsconfig.misuse.json");
    expect(bad.code).not.toBe(0);
    for (const line of [5, 6, 8]) expect(bad.output).toMatch(new RegExp(`misuse\\.ts\\(${String(line)},`));

    const token = await sys.token({ role: "member" });
    const { stdout } = await run(process.execPath, ["--import", "tsx", join(dir, "quickstart.ts")], {
      cwd: apiDir,
      env: { PATH: process.env.PATH ?? "", JOBSTREAM_URL: sys.apiUrl, JOBSTREAM_TOKEN: token },
      timeout: 90_000,
    });
    const result = JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as {
      status: string;
      output: unknown;
      items: number;
    };
    expect(result).toMatchObject({ status: "completed", output: { items: 3 }, items: 3 });
  });
});
