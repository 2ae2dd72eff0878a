import type { RouteConfig } from "@asteasolutions/zod-to-openapi";
import { orgLimitBodySchema, orgLimitSchema, queueAnswerSchema, queueListSchema } from "@jobstream/contract";
import { orgLimitParamsSchema, queueListQuerySchema, queueNameParamsSchema } from "../routes/queues";
import { bearer, errors, json, readRoute } from "./route-kit";

const pauseSummary = {
  pause: "Pauses a queue for every worker: running jobs finish, no new one starts (operator)",
  resume: "Resumes a paused queue (operator)",
};

/** Queue controls: shared by every org, so operators (and services, reading) only. */
export const queueRoutes: RouteConfig[] = [
  readRoute({
    path: "/v1/queues",
    operationId: "listQueues",
    tag: "queues",
    summary: "Every queue: depths, paused state, workers and finish rate (operator, service)",
    security: bearer,
    request: { query: queueListQuerySchema },
    answer: json(queueListSchema, "The queues, by name"),
    refusals: ["forbidden"],
  }),
  ...(["pause", "resume"] as const).map(
    (action): RouteConfig => ({
      method: "post",
      path: `/v1/queues/{name}/${action}`,
      operationId: `${action}Queue`,
      tags: ["queues"],
      summary: pauseSummary[action],
      security: bearer,
      request: { params: queueNameParamsSchema },
      responses: {
        200: json(queueAnswerSchema, "The queue after the change"),
        ...errors("validation_failed", "unauthorized", "forbidden", "not_found", "rate_limited"),
      },
    }),
  ),
  readRoute({
    path: "/v1/queues/{name}/orgs/{orgId}/limit",
    operationId: "getOrgLimit",
    tag: "queues",
    summary: "An org's concurrency cap in a queue and its running jobs (operator)",
    security: bearer,
    request: { params: orgLimitParamsSchema },
    answer: json(orgLimitSchema, "The org's cap"),
    refusals: ["forbidden", "not_found"],
  }),
  {
    method: "put",
    path: "/v1/queues/{name}/orgs/{orgId}/limit",
    operationId: "setOrgLimit",
    tags: ["queues"],
    summary: "Sets (a number) or removes (null) an org's concurrency cap in a queue (operator)",
    description:
      "Workers apply it within a second to jobs that start from then on. Without an own cap, the workers' " +
      "`ORG_CONCURRENCY_<TYPE>` applies, if set. See docs/fair-share.md.",
    security: bearer,
    request: {
      params: orgLimitParamsSchema,
      body: { content: { "application/json": { schema: orgLimitBodySchema } } },
    },
    responses: {
      200: json(orgLimitSchema, "The org's cap after the change"),
      ...errors("validation_failed", "unauthorized", "forbidden", "not_found", "rate_limited"),
    },
  },
];
