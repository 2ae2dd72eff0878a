import type { z } from "zod";
import { toFieldIssues } from "@jobstream/job-types";
import { ApiError } from "./errors";

/** Parses with a schema or throws a 400 `validation_failed` naming every bad field. */
export function parseOr400<S extends z.ZodType>(schema: S, value: unknown, prefix = ""): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ApiError("validation_failed", "request is invalid", toFieldIssues(result.error, prefix));
  }
  return result.data;
}
