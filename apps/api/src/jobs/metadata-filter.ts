import { z } from "zod";
import { depthOf } from "../http/json-guards";

/** Longest `metadata=` value (decoded): a filter names a few keys, not a document. */
export const MAX_METADATA_FILTER_CHARS = 2000;
/** Deepest nesting of a `metadata=` object (the object itself is level 1). */
export const MAX_METADATA_FILTER_DEPTH = 4;

/**
 * `GET /v1/jobs?metadata=<url-encoded JSON object>`: jobs whose metadata contains the object
 * (JSONB containment: `{"a":{"b":1}}` matches `{"a":{"b":1,"c":2},"d":3}`). Anything but a JSON
 * object, or one too large or too deep, is a 400 on `metadata`.
 */
export const metadataFilterSchema = z
  .string()
  .max(MAX_METADATA_FILTER_CHARS)
  .transform((text, ctx): Record<string, unknown> => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      ctx.addIssue({ code: "custom", message: "not JSON: send a URL-encoded JSON object" });
      return z.NEVER;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      ctx.addIssue({ code: "custom", message: "must be a JSON object" });
      return z.NEVER;
    }
    if (depthOf(value) > MAX_METADATA_FILTER_DEPTH) {
      ctx.addIssue({ code: "custom", message: `nested deeper than ${String(MAX_METADATA_FILTER_DEPTH)} levels` });
      return z.NEVER;
    }
    return Object.fromEntries(Object.entries(value));
  });
