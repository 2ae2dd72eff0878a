import type { FieldIssue } from "@jobstream/job-types";
import { ApiError } from "../http/errors";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * `POST /v1/jobs/batch` with `groupId`: every job of the batch joins that group. A job naming
 * another group is refused (one request, two groups is a mistake, not an override); a job naming
 * the same one, or none, is fine. Bodies that are not objects are left to the per-job validation.
 */
export function withBatchGroup(bodies: readonly unknown[], groupId: string | undefined): unknown[] {
  if (groupId === undefined) return [...bodies];
  const issues: FieldIssue[] = [];
  const grouped = bodies.map((body, i) => {
    if (!isObject(body)) return body;
    if (body.groupId === undefined) return { ...body, groupId };
    if (body.groupId !== groupId)
      issues.push({ path: `jobs.${String(i)}.groupId`, message: "differs from the batch's groupId" });
    return body;
  });
  if (issues.length > 0) throw new ApiError("validation_failed", "batch is invalid; nothing was enqueued", issues);
  return grouped;
}
