import { z } from "zod";
import { named } from "./fields";

/** Error codes of the documented `{"error": {"code", "message", "details"}}` shape, with their HTTP status. */
export const errorStatus = {
  validation_failed: 400,
  /**
   * On a Redis Cluster, a flow whose jobs' queues are in different hash slots (types not grouped in
   * `REDIS_CLUSTER_QUEUE_GROUPS`); `details` names the sub-job's `type`.
   */
  flow_crosses_slots: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  /** An idempotency key already names a job this caller may not read. */
  idempotency_key_in_use: 409,
  /** The same caller sent an idempotency key again with a different request. */
  idempotency_key_reused: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  /**
   * A per-org limit (unfinished jobs, enqueue rate) was reached; `details` names it, `Retry-After`
   * says when to retry.
   */
  quota_exceeded: 429,
  internal: 500,
  unavailable: 503,
} as const;
export type ErrorCode = keyof typeof errorStatus;
export const errorCodes = Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]];

/** One problem with a request, named by its dot-joined field path (`jobs.3.input.items`). */
export const fieldIssueSchema = named("FieldIssue", { path: z.string(), message: z.string() });
export type FieldIssueView = z.infer<typeof fieldIssueSchema>;

export const errorBodySchema = named("Error", {
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string(),
    /** Field issues for validation errors; other codes may carry an object (e.g. a quota's limit). */
    details: z.union([z.array(fieldIssueSchema), z.record(z.string(), z.unknown())]).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
