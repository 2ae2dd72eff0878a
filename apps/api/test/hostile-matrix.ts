/** Hostile values and the fields of every endpoint they are sent in (see hostile*.int.test.ts). */

/** An error answer as a hostile caller may get it: every part checked, none assumed. */
export interface ErrorBody {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

/** Text Postgres cannot store: every field holding one must answer 400 naming the field. */
export const unsafeText: readonly [string, string][] = [
  ["NUL", "a\u0000b"],
  ["a lone high surrogate", "x\ud800"],
  ["a lone low surrogate", "\udc00y"],
];

/** Strings that look like numbers, specials or prototype keys: a 4xx, or accepted as plain text. */
export const oddText: readonly string[] = [
  "__proto__",
  "constructor",
  "prototype",
  "1e400",
  "-1e400",
  "18446744073709551616",
  "-0",
  "NaN",
  "Infinity",
  "0x10",
  "",
];

/** Number literals JSON allows but no field should take: sent as raw JSON (JSON.stringify cannot write them). */
export const rawNumbers: readonly string[] = [
  "1e400",
  "-1e400",
  "18446744073709551616",
  "-18446744073709551616",
  "-0",
  "1e-400",
  "0.5",
  "-1",
];

/** Every body field of an enqueue request (dotted paths into the body). */
export const enqueueFields: readonly string[] = [
  "type",
  "subtype",
  "name",
  "runAt",
  "idempotencyKey",
  "parentId",
  "groupId",
  "orgId",
  "userId",
  "priority",
  "delayMs",
  "maxAttempts",
  "timeoutMs",
  "expiresInSeconds",
  "backoff.type",
  "backoff.delayMs",
  "input.items",
  "input.durationMs",
  "input.failAttempts",
  "input.steps.0",
  "input.output",
  "input.output.k",
  "metadata.k",
];

/** Query parameters of each GET endpoint (job ids are filled in by the test). */
export const queryFields: readonly [string, readonly string[]][] = [
  [
    "/v1/jobs",
    [
      "status",
      "type",
      "subtype",
      "userId",
      "groupId",
      "parentId",
      "orgId",
      "createdFrom",
      "createdTo",
      "q",
      "limit",
      "cursor",
      "include",
    ],
  ],
  ["/v1/jobs/active", ["recentMinutes", "hours", "limit", "orgId"]],
  ["/v1/jobs/:id", ["token"]],
  ["/v1/jobs/:id/items", ["status", "limit", "cursor", "token"]],
  ["/v1/jobs/:id/events", ["token"]],
  ["/v1/stats/queues", ["orgId", "limit"]],
  ["/v1/stats/failed", ["orgId", "limit"]],
  ["/v1/stats/types", ["orgId", "limit"]],
  ["/v1/job-types", ["type"]],
  ["/v1/session", ["x"]],
  ["/v1/stream", ["type", "status", "groupId"]],
  ["/v1/jobs/:id/stream", ["token"]],
  ["/v1/groups/:id", ["orgId"]],
  ["/v1/groups/:id/stream", ["orgId"]],
];

/** Routes with a job (or group) id in the path. */
export const idRoutes: readonly [string, string][] = [
  ["GET", "/v1/jobs/:id"],
  ["GET", "/v1/jobs/:id/items"],
  ["GET", "/v1/jobs/:id/events"],
  ["GET", "/v1/jobs/:id/stream"],
  ["POST", "/v1/jobs/:id/cancel"],
  ["POST", "/v1/jobs/:id/retry"],
  // Group ids are free text: a hostile one is refused (NUL) or names no group (404).
  ["GET", "/v1/groups/:id"],
  ["GET", "/v1/groups/:id/stream"],
  ["POST", "/v1/groups/:id/cancel"],
  ["POST", "/v1/groups/:id/retry"],
];

const PLACEHOLDER = "\u0001raw\u0001";

/** `base` with the value at a dotted path replaced (arrays for numeric segments), as JSON text. */
export function bodyWith(base: unknown, path: string, value: { text: string } | { raw: string }): string {
  const copy = structuredClone(base) as Record<string, unknown>;
  const segments = path.split(".");
  let node: Record<string, unknown> | unknown[] = copy;
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    const nextIsIndex = /^\d+$/.test(segments[i + 1] ?? "");
    const key = segment as never;
    if (last) {
      (node as Record<string, unknown>)[key] = "text" in value ? value.text : PLACEHOLDER;
      return;
    }
    const current = (node as Record<string, unknown>)[key];
    const child = typeof current === "object" && current !== null ? current : nextIsIndex ? [] : {};
    (node as Record<string, unknown>)[key] = child;
    node = child as Record<string, unknown>;
  });
  const json = JSON.stringify(copy);
  return "raw" in value ? json.replace(JSON.stringify(PLACEHOLDER), value.raw) : json;
}

/** JSON nested `depth` levels deep, as text (objects or arrays). */
export function deepJson(depth: number, kind: "object" | "array"): string {
  return kind === "object"
    ? `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`
    : `${"[".repeat(depth)}1${"]".repeat(depth)}`;
}
