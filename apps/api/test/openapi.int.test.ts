import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect } from "vitest";
import { systemTest } from "@jobstream/testing/fixtures";

const it = systemTest((sys) => sys.startApi());

interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}
interface Operation {
  operationId?: string;
  security?: Record<string, string[]>[];
  description?: string;
  requestBody?: { content: Record<string, { examples?: Record<string, { value: unknown }> }> };
}

const redoclyCli = fileURLToPath(new URL("../node_modules/@redocly/cli/bin/cli.js", import.meta.url));

describe("OpenAPI", () => {
  it("serves a valid OpenAPI 3.1 document", async ({ sys }) => {
    const res = await sys.request<Document>("GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    const result = await new Validator().validate(res.body as unknown as Parameters<Validator["validate"]>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    for (const path of [
      "/v1/jobs",
      "/v1/jobs/batch",
      "/v1/jobs/{id}",
      "/v1/jobs/{id}/items",
      "/v1/jobs/{id}/events",
      "/v1/jobs/{id}/stream",
      "/v1/stream",
      "/v1/jobs/active",
      "/v1/job-types",
      "/v1/stats/queues",
    ]) {
      expect(Object.keys(res.body.paths), path).toContain(path);
    }
  });

  it("passes redocly lint with its recommended rules: no error, no warning (offline)", async ({ sys }) => {
    const doc = (await sys.request<Document>("GET", "/openapi.json")).body;
    const dir = await mkdtemp(join(tmpdir(), "jobstream-openapi-"));
    try {
      const file = join(dir, "openapi.json");
      await writeFile(file, JSON.stringify(doc));
      // No redocly.yaml: the built-in recommended rules. Telemetry and update checks off (no network here).
      const lint = await promisify(execFile)(process.execPath, [redoclyCli, "lint", file, "--format=json"], {
        env: {
          PATH: process.env.PATH ?? "",
          REDOCLY_TELEMETRY: "off",
          REDOCLY_SUPPRESS_UPDATE_NOTICE: "true",
          CI: "true",
        },
        timeout: 60_000,
      }).catch((error: unknown) => error as { stdout: string; stderr: string });
      const report = JSON.parse(lint.stdout) as { totals: { errors: number; warnings: number }; problems: unknown[] };
      expect(report.problems).toEqual([]);
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("names every operation with a unique camelCase operationId and states its security", async ({ sys }) => {
    const doc = (await sys.request<Document>("GET", "/openapi.json")).body;
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ at: `${method} ${path}`, op })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(20);
    const ids = operations.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(operations.length);
    for (const { at, op } of operations) {
      expect(op.operationId, at).toMatch(/^[a-z][a-zA-Z]+$/);
      expect(op.security, at).toBeDefined();
      // A public route says so in words too.
      if (op.security?.length === 0) expect(op.description, at).toMatch(/Public/);
    }
    const byId: Record<string, { at: string; security: Operation["security"] } | undefined> = {};
    for (const { at, op } of operations) byId[op.operationId ?? at] = { at, security: op.security };
    expect(byId.enqueueJob).toEqual({ at: "post /v1/jobs", security: [{ bearer: [] }] });
    expect(byId.getJob).toEqual({ at: "get /v1/jobs/{id}", security: [{ bearer: [] }, { jobToken: [] }] });
    expect(byId.listJobs?.at).toBe("get /v1/jobs");
    expect(byId.getReadiness).toEqual({ at: "get /readyz", security: [] });
  });

  it("documents enqueue examples the server accepts", async ({ sys }) => {
    const doc = (await sys.request<Document>("GET", "/openapi.json")).body;
    const examples = doc.paths["/v1/jobs"]?.post?.requestBody?.content["application/json"]?.examples ?? {};
    expect(Object.keys(examples).length).toBeGreaterThanOrEqual(4);
    const token = await sys.token({ sub: randomUUID(), org: randomUUID(), role: "member" });
    for (const [name, example] of Object.entries(examples)) {
      const res = await sys.request("POST", "/v1/jobs", { token, body: example.value });
      expect(res.status, name).toBe(202);
    }
  });

  it("renders the docs page", async ({ sys }) => {
    const res = await fetch(`${sys.apiUrl}/docs/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("swagger-ui");
  });
});
