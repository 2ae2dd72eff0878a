import type { Db } from "@jobstream/db";
import type { FieldIssue, JobTypeAudience } from "@jobstream/job-types";
import type { EnqueueRequest } from "@jobstream/queue";
import type { Principal } from "../auth/principal";
import { checkEnqueue } from "../jobs/enqueue-check";
import { FLOW_FIELDS, PER_RUN_FIELDS } from "./schemas";

export type ScheduledJobCheck =
  | { ok: true; request: EnqueueRequest & { readonly orgId: string } }
  | { ok: false; issues: FieldIssue[]; forbidden?: boolean };

/**
 * A schedule's job, validated exactly as `POST /v1/jobs` validates a body (type open to the
 * caller, input schema, service-only orgId/userId, the reserved system org), under `job.`. Fields
 * a schedule sets per run are refused. With `owner` (a PATCH) the owner stays the schedule's.
 */
export async function checkScheduledJob(
  db: Db,
  principal: Principal & { kind: "token" },
  audience: JobTypeAudience,
  body: unknown,
  owner?: { readonly orgId: string; readonly userId: string | null },
): Promise<ScheduledJobCheck> {
  const fixed: FieldIssue[] = [];
  if (typeof body === "object" && body !== null) {
    for (const field of PER_RUN_FIELDS) {
      if (field in body) fixed.push({ path: `job.${field}`, message: "a schedule sets this for each run" });
    }
    for (const field of FLOW_FIELDS) {
      if (field in body) fixed.push({ path: `job.${field}`, message: "a scheduled job has no sub-jobs" });
    }
    if (owner !== undefined) {
      for (const field of ["orgId", "userId"] as const) {
        if (field in body) fixed.push({ path: `job.${field}`, message: "a schedule's owner is fixed at creation" });
      }
    }
  }
  if (fixed.length > 0) return { ok: false, issues: fixed };
  const checked = await checkEnqueue(db, principal, audience, body, "job");
  if (!checked.ok) return checked;
  const request = checked.checked.request;
  return { ok: true, request: owner === undefined ? request : { ...request, ...owner } };
}
