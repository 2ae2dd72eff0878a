import type { RouteConfig } from "@asteasolutions/zod-to-openapi";
import { queueAnswerSchema, queueListSchema } from "@jobstream/contract";
import { queueListQuerySchema, queueNameParamsSchema } from "../routes/queues";
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
];
