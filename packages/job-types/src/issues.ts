import type { z } from "zod";

/** One validation problem, with the offending field as a dot-joined path ("" for the object itself). */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/** Flattens zod issues into field paths callers can show and tests can match. */
export function toFieldIssues(error: z.ZodError, prefix = ""): FieldIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join(".");
    const full = prefix === "" ? path : path === "" ? prefix : `${prefix}.${path}`;
    return { path: full, message: issue.message };
  });
}
