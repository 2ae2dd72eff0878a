import type { FieldIssue } from "@jobstream/job-types";

/** NUL (Postgres text and jsonb refuse it) or a UTF-16 surrogate without its pair (not encodable as UTF-8). */
// eslint-disable-next-line no-control-regex -- finding NUL is the point
const UNSAFE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const describe = (text: string): string =>
  text.includes("\u0000") ? "must not contain NUL (\\u0000)" : "must not contain a lone UTF-16 surrogate";

/** A path segment fit to echo back: unsafe characters replaced by U+FFFD. */
const printable = (key: string): string => key.replace(new RegExp(UNSAFE.source, "g"), "\ufffd");

const join = (path: string, key: string): string => (path === "" ? key : `${path}.${key}`);

/**
 * Every string value and object key in `value` holding NUL or a lone surrogate, with its dotted
 * path (as validation errors name fields). Such text cannot be stored in Postgres, so it is
 * refused at the door, for every field of every request, instead of failing deep inside a write.
 * Stops after `max` findings.
 */
export function findUnsafeText(value: unknown, prefix = "", max = 10): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const stack: [unknown, string][] = [[value, prefix]];
  while (stack.length > 0 && issues.length < max) {
    const next = stack.pop();
    if (next === undefined) break;
    const [node, path] = next;
    if (typeof node === "string") {
      if (UNSAFE.test(node)) issues.push({ path, message: describe(node) });
      continue;
    }
    if (node === null || typeof node !== "object") continue;
    for (const [key, child] of Object.entries(node)) {
      const childPath = join(path, printable(key));
      if (UNSAFE.test(key)) issues.push({ path: childPath, message: `field name ${describe(key)}` });
      stack.push([child, childPath]);
    }
  }
  return issues;
}
