import { createHash } from "node:crypto";

/** JSON with object keys sorted at every level, so equal requests serialize equally. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return value === undefined ? "null" : JSON.stringify(value);
}

/**
 * sha256 of a normalized enqueue request (defaults applied, key order and absent fields
 * irrelevant). Stored with an idempotency key: the same key with another hash is another request.
 */
export function hashEnqueueRequest(normalized: Record<string, unknown>): string {
  return createHash("sha256").update(canonicalJson(normalized)).digest("hex");
}
