import type { RouteConfig } from "@asteasolutions/zod-to-openapi";
import { isJobTypeOpenTo, listJobKinds } from "@jobstream/job-types";
import {
  activeJobsSchema,
  batchAnswerSchema,
  bulkAnswerSchema,
  bulkDryRunAnswerSchema,
  enqueueAnswerSchema,
  eventListSchema,
  itemPageSchema,
  jobActionAnswerSchema,
  jobPageSchema,
  jobViewSchema,
} from "@jobstream/contract";
import {
  MAX_PAGE_WITH_DATA,
  activeQuerySchema,
  batchBodySchema,
  childrenQuerySchema,
  enqueueBodySchema,
  itemsQuerySchema,
  jobIdParamsSchema,
  listQuerySchema,
} from "../jobs/schemas";
import { bulkBodySchema } from "../jobs/bulk-schemas";
import { bearer, bearerOrJobToken, errors, json, listRoute, readRoute, type ReadOf, sse } from "./route-kit";

/**
 * Every documented enqueue body: one per example input of every type/subtype a member may enqueue
 * in this deployment (system types and, unless enabled, development types stay out of public docs).
 */
export function enqueueExamples(developmentTypes = false): Record<string, { value: unknown }> {
  const examples: Record<string, { value: unknown }> = {};
  for (const kind of listJobKinds().filter((k) =>
    isJobTypeOpenTo(k.definition, { role: "member", developmentTypes }),
  )) {
    kind.spec.examples.input.forEach((input, i) => {
      examples[`${kind.type}-${kind.subtype}-${i}`] = { value: { type: kind.type, subtype: kind.subtype, input } };
    });
  }
  return examples;
}

const id = { params: jobIdParamsSchema };

type OneJobRead = ReadOf<{ query?: typeof itemsQuerySchema }>;

/** A GET of one job or its parts: the job's access token may read it too, and an unknown id is a 404. */
function oneJobRead({ tag = "jobs", query, ...read }: OneJobRead) {
  const request = query === undefined ? id : { ...id, query };
  return readRoute({ ...read, tag, security: bearerOrJobToken, request, refusals: ["not_found"] });
}

/** Enqueue, read, follow and act on jobs (operationIds are stable: generated clients name methods after them). */
export const jobRoutes = (developmentTypes: boolean): RouteConfig[] => [
  {
    method: "post",
    path: "/v1/jobs",
    operationId: "enqueueJob",
    tags: ["jobs"],
    summary: "Enqueue a job",
    security: bearer,
    description: "`input` is validated by the job type's schema (see GET /v1/job-types).",
    request: {
      body: {
        content: { "application/json": { schema: enqueueBodySchema, examples: enqueueExamples(developmentTypes) } },
      },
    },
    responses: {
      202: json(enqueueAnswerSchema, "Accepted: stored, and queued unless Redis was unreachable"),
      200: json(enqueueAnswerSchema, "An existing job with the same idempotency key"),
      ...errors(
        "validation_failed",
        "flow_crosses_slots",
        "unauthorized",
        "forbidden",
        "idempotency_key_in_use",
        "idempotency_key_reused",
        "payload_too_large",
        "unsupported_media_type",
        "rate_limited",
        "quota_exceeded",
      ),
    },
  },
  {
    method: "post",
    path: "/v1/jobs/batch",
    operationId: "enqueueJobBatch",
    tags: ["jobs"],
    summary: "Enqueue up to 1,000 jobs, all or nothing",
    security: bearer,
    request: { body: { content: { "application/json": { schema: batchBodySchema } } } },
    responses: {
      202: json(batchAnswerSchema, "Accepted"),
      ...errors(
        "validation_failed",
        "flow_crosses_slots",
        "unauthorized",
        "forbidden",
        "payload_too_large",
        "unsupported_media_type",
        "rate_limited",
        "quota_exceeded",
      ),
    },
  },
  listRoute({
    path: "/v1/jobs",
    operationId: "listJobs",
    tag: "jobs",
    summary: "List jobs (newest first, keyset pages)",
    query: listQuerySchema,
    description:
      "Job summaries: the job without `input` and `output`. `include=input,output` (either or both) adds them, " +
      `with \`limit\` at most ${String(MAX_PAGE_WITH_DATA)}.`,
    answer: json(jobPageSchema, "A page of job summaries"),
  }),
  listRoute({
    path: "/v1/jobs/active",
    operationId: "listActiveJobs",
    tag: "jobs",
    summary: "Unfinished and recently finished jobs",
    query: activeQuerySchema,
    answer: json(activeJobsSchema, "Active jobs (summaries: no input or output)"),
  }),
  oneJobRead({
    path: "/v1/jobs/{id}",
    operationId: "getJob",
    summary: "One job",
    answer: json(jobViewSchema, "The job"),
  }),
  oneJobRead({
    path: "/v1/jobs/{id}/items",
    operationId: "listJobItems",
    summary: "A job's item outcomes",
    query: itemsQuerySchema,
    answer: json(itemPageSchema, "A page of items"),
  }),
  oneJobRead({
    path: "/v1/jobs/{id}/events",
    operationId: "listJobEvents",
    summary: "A job's timeline",
    answer: json(eventListSchema, "Timeline"),
  }),
  readRoute({
    path: "/v1/jobs/{id}/children",
    operationId: "listJobChildren",
    tag: "jobs",
    summary: "A job's sub-jobs (newest first, keyset pages)",
    description:
      "Summaries of the jobs enqueued as its `children` or added by its running handler; the job's own " +
      "view (GET /v1/jobs/{id}) counts them by status.",
    security: bearer,
    request: { ...id, query: childrenQuerySchema },
    answer: json(jobPageSchema, "A page of sub-job summaries"),
    refusals: ["not_found"],
  }),
  oneJobRead({
    path: "/v1/jobs/{id}/stream",
    operationId: "streamJob",
    tag: "streams",
    summary: "Server-Sent Events of one job until it is final (event `job`, id = version)",
    answer: sse("text/event-stream of `job` events whose data is a Job"),
  }),
  {
    method: "get",
    path: "/v1/stream",
    operationId: "streamJobs",
    tags: ["streams"],
    security: bearer,
    summary: "Server-Sent Events of every job the caller may see (id = jobId:version)",
    responses: {
      200: sse("text/event-stream of `job` events whose data is a JobSummary"),
      ...errors("unauthorized", "rate_limited"),
    },
  },
  {
    method: "post",
    path: "/v1/jobs/{id}/cancel",
    operationId: "cancelJob",
    tags: ["jobs"],
    summary: "Cancel a job",
    security: bearer,
    request: id,
    responses: {
      200: json(jobActionAnswerSchema, "Cancelled"),
      202: json(jobActionAnswerSchema, "Cancellation requested from the running worker"),
      ...errors("validation_failed", "unauthorized", "not_found", "conflict", "rate_limited"),
    },
  },
  {
    method: "post",
    path: "/v1/jobs/bulk",
    operationId: "bulkJobs",
    tags: ["jobs"],
    summary: "Cancel, retry or delete every job a filter matches",
    description:
      "Admins act on their org's jobs, services and operators on any org's (or `filter.orgId`'s); members get 403. " +
      "The filter is `GET /v1/jobs`'s; jobs created after the request are left alone. An empty filter needs " +
      "`all: true`. The work runs as a `bulk/<action>` job: read its progress, items and output at `/v1/jobs/{id}`. " +
      "With `dryRun: true` it only counts: 200 `{ matched }`, nothing queued or changed (what a confirmation shows).",
    security: bearer,
    request: { body: { content: { "application/json": { schema: bulkBodySchema } } } },
    responses: {
      200: json(bulkDryRunAnswerSchema, "A dry run: how many jobs the filter matches now"),
      202: json(bulkAnswerSchema, "The bulk job was queued"),
      ...errors("validation_failed", "unauthorized", "forbidden", "rate_limited"),
    },
  },
  {
    method: "post",
    path: "/v1/jobs/{id}/retry",
    operationId: "retryJob",
    tags: ["jobs"],
    summary: "Retry a failed or cancelled job",
    security: bearer,
    request: id,
    responses: {
      202: json(jobActionAnswerSchema, "Queued again"),
      ...errors("validation_failed", "unauthorized", "not_found", "conflict", "rate_limited"),
    },
  },
];
