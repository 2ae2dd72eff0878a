import type { z } from "zod";
import { toFieldIssues } from "@jobstream/job-types";
import { ApiError } from "./errors";
import { findUnsafeText } from "./unsafe-text";

/**
 * Parses with a schema or throws a 400 `validation_failed` naming every bad field. Text Postgres
 * cannot store (NUL, lone surrogates) is refused first, wherever the value came from.
 */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, prefix = ""): z.output<S> {
  const unsafe = findUnsafeText(value, prefix);
  if (unsafe.length > 0) throw new ApiError("validation_failed", "request holds text that cannot be stored", unsafe);
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ApiError("validation_failed", "request is invalid", toFieldIssues(result.error, prefix));
  }
  return result.data;
}
