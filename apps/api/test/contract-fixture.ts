import { randomUUID } from "node:crypto";
import { systemTest } from "@jobstream/testing/fixtures";
import { expect } from "vitest";
import type { z } from "zod";

// Shared by the contract tests (contract-*.int.test.ts): every documented route is called with real
// data and each answer parsed with its contract schema; each file covers every operation of its
// OpenAPI tags, and together the files own every tag.

/** The OpenAPI tags each contract test file covers: every operation of each tag is called there. */
export const CONTRACT_TAGS = {
  jobs: ["jobs", "groups", "streams"],
  platform: ["job types", "session", "stats", "queues", "health", "admin", "schedules", "webhooks"],
} as const;

interface Options {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A system with every role, an admin's token (`admin`) in a fresh `org`, and `call`: a request
 * recorded as `method path-template` in `called`, compared with the OpenAPI document at the end.
 */
export const it = systemTest(async (sys) => {
  await sys.startApi({ ENABLE_SYNTHETIC_JOBS: "true" });
  await sys.startWorker("work,mirror,housekeep", { ENABLE_SYNTHETIC_JOBS: "true" });
  const org = randomUUID();
  return { org, admin: await sys.token({ org, role: "admin" }) };
})
  .extend("org", { scope: "file" }, ({ started }) => started.org)
  .extend("admin", { scope: "file" }, ({ started }) => started.admin)
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from this pattern
  .extend("called", { scope: "file" }, ({}) => new Set<string>())
  .extend(
    "call",
    { scope: "file" },
    ({ sys, called }) =>
      async (method: string, template: string, path: string, options: Options = {}) => {
        called.add(`${method.toLowerCase()} ${template}`);
        return sys.request(method, path, options);
      },
  );

/**
 * The answer matches the schema exactly: it parses, and parsing dropped nothing (zod strips keys
 * it does not know, so an undocumented field would make the two differ).
 */
export function conforms<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  expect(result.error?.issues ?? []).toEqual([]);
  expect(result.data).toEqual(body);
  return result.data as z.output<S>;
}

/** The file's last test: it called every operation of its tags, and every tag has a file. */
export function coversEveryOperationOf(part: keyof typeof CONTRACT_TAGS): void {
  const tags: readonly string[] = CONTRACT_TAGS[part];
  it(`covered every operation of /openapi.json tagged ${tags.join(", ")}`, async ({ sys, called }) => {
    const doc = await sys.request<{ paths: Record<string, Record<string, { tags?: string[] }>> }>(
      "GET",
      "/openapi.json",
    );
    const operations = Object.entries(doc.body.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([m, op]) => ({ key: `${m} ${path}`, tags: op.tags ?? [] })),
    );
    const owned = new Set<string>(Object.values(CONTRACT_TAGS).flat());
    expect(operations.filter((op) => !op.tags.some((t) => owned.has(t))).map((op) => op.key)).toEqual([]);
    const mine = operations.filter((op) => op.tags.some((t) => tags.includes(t))).map((op) => op.key);
    expect([...called].sort()).toEqual(mine.sort());
  });
}
