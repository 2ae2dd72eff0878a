import type { Role } from "@jobstream/client";

/**
 * What each role may open, as the API decides it: the dashboard offers a link only where the API
 * would answer, never one that leads to "forbidden".
 */
export const roleAccess = (role: Role) => ({
  /** `/v1/stats/*`: org admins, services, operators (members are refused). */
  stats: role !== "member",
  /** Webhooks are managed by org admins (and services, operators). */
  webhooks: role !== "member",
  /** `GET /v1/queues`: the queues every org shares, for operators and services. */
  queues: role === "operator" || role === "service",
  /** Pause and resume: operators only. */
  queueControls: role === "operator",
  /** `POST /v1/jobs/bulk`: admins within their org, operators (and services) anywhere; members are refused. */
  bulkActions: role !== "member",
  /** bull-board at `/admin/queues`. */
  bullBoard: role === "operator",
});
