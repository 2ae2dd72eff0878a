import type { RouteConfig } from "@asteasolutions/zod-to-openapi";
import { groupActionAnswerSchema, groupAnswerSchema } from "@jobstream/contract";
import { groupIdParamsSchema, groupQuerySchema } from "../groups/schemas";
import { bearer, errors, json, readRoute, sse } from "./route-kit";

const request = { params: groupIdParamsSchema, query: groupQuerySchema };
const scoped =
  "Counts only the jobs the caller may see: a member's own, an admin's org's, every org's for services " +
  "and operators (or `orgId`'s). A group none of whose jobs the caller may see answers 404.";

/** Groups of jobs (a `groupId` given at enqueue): live counts, their stream, group actions. */
export const groupRoutes: RouteConfig[] = [
  readRoute({
    path: "/v1/groups/{groupId}",
    operationId: "getGroup",
    tag: "groups",
    summary: "A group: its jobs per status, aggregate progress, when it started and finished",
    description: scoped,
    security: bearer,
    request,
    answer: json(groupAnswerSchema, "The group"),
    refusals: ["not_found"],
  }),
  readRoute({
    path: "/v1/groups/{groupId}/stream",
    operationId: "streamGroup",
    tag: "streams",
    summary: "Server-Sent Events of a group until every job of it is final (event `group`)",
    description: scoped,
    security: bearer,
    request,
    answer: sse("text/event-stream of `group` events whose data is a Group"),
    refusals: ["not_found"],
  }),
  {
    method: "post",
    path: "/v1/groups/{groupId}/cancel",
    operationId: "cancelGroup",
    tags: ["groups"],
    summary: "Cancel every unfinished job of a group the caller may act on",
    description: "Each job is cancelled as `POST /v1/jobs/{id}/cancel` would; running ones are asked to stop.",
    security: bearer,
    request,
    responses: {
      200: json(groupActionAnswerSchema, "Cancelled (done: how many)"),
      202: json(groupActionAnswerSchema, "Some running jobs were asked to stop (stopping: how many)"),
      ...errors("validation_failed", "unauthorized", "not_found", "rate_limited"),
    },
  },
  {
    method: "post",
    path: "/v1/groups/{groupId}/retry",
    operationId: "retryGroup",
    tags: ["groups"],
    summary: "Retry every failed or cancelled job of a group the caller may act on",
    description: "Each job is retried as `POST /v1/jobs/{id}/retry` would; the group is unfinished again.",
    security: bearer,
    request,
    responses: {
      200: json(groupActionAnswerSchema, "Nothing to retry"),
      202: json(groupActionAnswerSchema, "Retried (done: how many)"),
      ...errors("validation_failed", "unauthorized", "not_found", "rate_limited"),
    },
  },
];
