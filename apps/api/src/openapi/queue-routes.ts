import type { RouteConfig } from "@asteasolutions/zod-to-openapi";
import { queueAnswerSchema, queueListSchema } from "@jobstream/contract";
import { queueListQuerySchema, queueNameParamsSchema } from "../routes/queues";
import { bearer, errors, json } from "./route-kit";

/** Queue controls: shared by every org, so operators (and services, reading) only. */
export const queueRoutes: RouteConfig[] = [
  {
    method: "get",
    path: "/v1/queues",
    operationId: "listQueues",
    tags: ["queues"],
    summary: "Every queue: depths, paused state, workers and finish rate (operator, service)",
    security: bearer,
    request: { query: queueListQuerySchema },
    responses: {
      200: json(queueListSchema, "The queues, by name"),
      ...errors("unauthorized", "forbidden", "rate_limited"),
    },
  },
  ...(["pause", "resume"] as const).map(
    (action): RouteConfig => ({
      method: "post",
      path: `/v1/queues/{name}/${action}`,
      operationId: `${action}Queue`,
      tags: ["queues"],
      summary:
        action === "pause"
          ? "Pauses a queue for every worker: running jobs finish, no new one starts (operator)"
          : "Resumes a paused queue (operator)",
      security: bearer,
      request: { params: queueNameParamsSchema },
      responses: {
        200: json(queueAnswerSchema, "The queue after the change"),
        ...errors("unauthorized", "forbidden", "not_found", "rate_limited"),
      },
    }),
  ),
];
