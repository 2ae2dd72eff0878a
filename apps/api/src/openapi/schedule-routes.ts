import type { RouteConfig } from "@asteasolutions/zod-to-openapi";
import type { z } from "zod";
import { scheduleAnswerSchema, schedulePageSchema } from "@jobstream/contract";
import { enqueueBodySchema } from "../jobs/schemas";
import {
  createScheduleBodySchema,
  patchScheduleBodySchema,
  scheduleIdParamsSchema,
  scheduleListQuerySchema,
} from "../schedules/schemas";
import { bearer, errors, json, listRoute, readRoute } from "./route-kit";

const id = { params: scheduleIdParamsSchema };
const jobBody = enqueueBodySchema.meta({
  description: "The job each tick enqueues: a `POST /v1/jobs` body without idempotencyKey, runAt, delayMs or parentId.",
});
const body = (schema: z.ZodType) => ({ body: { content: { "application/json": { schema } } } });

/** Recurring jobs (operationIds are stable: generated clients name methods after them). */
export const scheduleRoutes: RouteConfig[] = [
  {
    method: "post",
    path: "/v1/schedules",
    operationId: "createSchedule",
    tags: ["schedules"],
    summary: "Create a schedule",
    description:
      "Give `cron` (read in `timezone`, default UTC) or `everyMs`, not both. Each tick enqueues `job` as an " +
      "ordinary job carrying `scheduleId`; missed ticks (everything down) run once, not once per tick.",
    security: bearer,
    request: body(createScheduleBodySchema.extend({ job: jobBody })),
    responses: {
      201: json(scheduleAnswerSchema, "Created (the next run is null when Redis was unreachable)"),
      ...errors("validation_failed", "unauthorized", "forbidden", "payload_too_large", "rate_limited"),
    },
  },
  listRoute({
    path: "/v1/schedules",
    operationId: "listSchedules",
    tag: "schedules",
    summary: "List schedules (newest first, keyset pages)",
    query: scheduleListQuerySchema,
    answer: json(schedulePageSchema, "A page of schedules"),
  }),
  readRoute({
    path: "/v1/schedules/{id}",
    operationId: "getSchedule",
    tag: "schedules",
    summary: "One schedule, with its last and next run",
    security: bearer,
    request: id,
    answer: json(scheduleAnswerSchema, "The schedule"),
    refusals: ["not_found"],
  }),
  {
    method: "patch",
    path: "/v1/schedules/{id}",
    operationId: "updateSchedule",
    tags: ["schedules"],
    summary: 'Change, pause (`{"paused": true}`) or resume a schedule',
    security: bearer,
    request: { ...id, ...body(patchScheduleBodySchema.extend({ job: jobBody.optional() })) },
    responses: {
      200: json(scheduleAnswerSchema, "The schedule as changed"),
      ...errors("validation_failed", "unauthorized", "forbidden", "not_found", "rate_limited"),
    },
  },
  {
    method: "delete",
    path: "/v1/schedules/{id}",
    operationId: "deleteSchedule",
    tags: ["schedules"],
    summary: "Delete a schedule (its runs stay, as ordinary jobs)",
    security: bearer,
    request: id,
    responses: {
      204: { description: "Deleted" },
      ...errors("validation_failed", "unauthorized", "not_found", "conflict", "rate_limited"),
    },
  },
];
