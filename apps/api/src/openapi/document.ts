import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { isJobTypeOpenTo, listJobKinds } from "@jobstream/job-types";
import {
  activeJobsSchema,
  batchAnswerSchema,
  deadLetterPageSchema,
  enqueueAnswerSchema,
  errorBodySchema,
  errorStatus,
  eventListSchema,
  failedJobsAnswerSchema,
  itemPageSchema,
  jobActionAnswerSchema,
  jobPageSchema,
  jobTypeListSchema,
  jobViewSchema,
  livenessSchema,
  queueStatsAnswerSchema,
  readinessSchema,
  sessionSchema,
  typeStatsAnswerSchema,
  type ErrorCode,
} from "@jobstream/contract";
import {
  MAX_PAGE_WITH_DATA,
  activeQuerySchema,
  batchBodySchema,
  enqueueBodySchema,
  itemsQuerySchema,
  jobIdParamsSchema,
  listQuerySchema,
} from "../jobs/schemas";
import { DEAD_LETTERS_PATH, deadLettersQuerySchema } from "../routes/dead-letters";
import { statsQuerySchema } from "../routes/stats";

const json = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** The error answers of an operation, one per HTTP status (several codes may share one, e.g. 409). */
function errors(...codes: ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(errorStatus[code], [...(byStatus.get(errorStatus[code]) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, names]) => [status, json(errorBodySchema, names.map((n) => `\`${n}\``).join(", "))]),
  );
}

/** Every documented enqueue body: one per example input of every registered type/subtype. */
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

type Security = NonNullable<RouteConfig["security"]>;
const bearer: Security = [{ bearer: [] }];
/** Reads of one job also accept that job's access token. */
const bearerOrJobToken: Security = [{ bearer: [] }, { jobToken: [] }];
/** Public routes: no credentials (`security: []` overrides none, and says so explicitly). */
const open: Security = [];
const id = { params: jobIdParamsSchema };
const sse = (what: string) => ({ description: what, content: { "text/event-stream": { schema: z.string() } } });
/** Any route answers 400 to a body that is not JSON (the body parser runs before routing). */
const badBody = errors("validation_failed");

/** Every operation, with a stable camelCase operationId (generated clients name their methods after it). */
const routes = (developmentTypes: boolean): RouteConfig[] => [
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
        "unauthorized",
        "forbidden",
        "payload_too_large",
        "unsupported_media_type",
        "rate_limited",
        "quota_exceeded",
      ),
    },
  },
  {
    method: "get",
    path: "/v1/jobs",
    operationId: "listJobs",
    tags: ["jobs"],
    summary: "List jobs (newest first, keyset pages)",
    security: bearer,
    request: { query: listQuerySchema },
    description: `Job summaries: the job without \`input\` and \`output\`. \`include=input,output\` (either or both) adds them, with \`limit\` at most ${String(MAX_PAGE_WITH_DATA)}.`,
    responses: {
      200: json(jobPageSchema, "A page of job summaries"),
      ...errors("validation_failed", "unauthorized", "rate_limited"),
    },
  },
  {
    method: "get",
    path: "/v1/jobs/active",
    operationId: "listActiveJobs",
    tags: ["jobs"],
    summary: "Unfinished and recently finished jobs",
    security: bearer,
    request: { query: activeQuerySchema },
    responses: {
      200: json(activeJobsSchema, "Active jobs (summaries: no input or output)"),
      ...errors("validation_failed", "unauthorized", "rate_limited"),
    },
  },
  {
    method: "get",
    path: "/v1/jobs/{id}",
    operationId: "getJob",
    tags: ["jobs"],
    summary: "One job",
    security: bearerOrJobToken,
    request: id,
    responses: {
      200: json(jobViewSchema, "The job"),
      ...errors("validation_failed", "unauthorized", "not_found", "rate_limited"),
    },
  },
  {
    method: "get",
    path: "/v1/jobs/{id}/items",
    operationId: "listJobItems",
    tags: ["jobs"],
    summary: "A job's item outcomes",
    security: bearerOrJobToken,
    request: { ...id, query: itemsQuerySchema },
    responses: {
      200: json(itemPageSchema, "A page of items"),
      ...errors("validation_failed", "unauthorized", "not_found", "rate_limited"),
    },
  },
  {
    method: "get",
    path: "/v1/jobs/{id}/events",
    operationId: "listJobEvents",
    tags: ["jobs"],
    summary: "A job's timeline",
    security: bearerOrJobToken,
    request: id,
    responses: {
      200: json(eventListSchema, "Timeline"),
      ...errors("validation_failed", "unauthorized", "not_found", "rate_limited"),
    },
  },
  {
    method: "get",
    path: "/v1/jobs/{id}/stream",
    operationId: "streamJob",
    tags: ["streams"],
    security: bearerOrJobToken,
    request: id,
    summary: "Server-Sent Events of one job until it is final (event `job`, id = version)",
    responses: {
      200: sse("text/event-stream of `job` events whose data is a Job"),
      ...errors("validation_failed", "unauthorized", "not_found", "rate_limited"),
    },
  },
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
  {
    method: "get",
    path: "/v1/job-types",
    operationId: "listJobTypes",
    tags: ["job types"],
    summary: "Registered job types with JSON Schema",
    security: bearer,
    responses: { 200: json(jobTypeListSchema, "Job types"), ...errors("unauthorized", "rate_limited") },
  },
  {
    method: "get",
    path: "/v1/stats/queues",
    operationId: "getQueueStats",
    tags: ["stats"],
    summary: "Jobs per type and status over 24 h, queue depths and paused queues (admin, operator, service)",
    description:
      "`queueDepths` of the caller's org for admins (from Postgres, `depthsScope: org`), of every org for operators and services (from BullMQ, `depthsScope: all`).",
    security: bearer,
    request: { query: statsQuerySchema },
    responses: {
      200: json(queueStatsAnswerSchema, "Queue stats"),
      ...errors("validation_failed", "unauthorized", "forbidden", "rate_limited"),
    },
  },
  {
    method: "get",
    path: "/v1/stats/failed",
    operationId: "listFailedJobs",
    tags: ["stats"],
    summary: "Failed jobs needing attention (admin, operator, service)",
    security: bearer,
    request: { query: statsQuerySchema },
    responses: {
      200: json(failedJobsAnswerSchema, "Failed jobs"),
      ...errors("validation_failed", "unauthorized", "forbidden", "rate_limited"),
    },
  },
  {
    method: "get",
    path: "/v1/stats/types",
    operationId: "getTypeStats",
    tags: ["stats"],
    summary: "Totals per job type over 7 days (admin, operator, service)",
    security: bearer,
    request: { query: statsQuerySchema },
    responses: {
      200: json(typeStatsAnswerSchema, "Type stats"),
      ...errors("validation_failed", "unauthorized", "forbidden", "rate_limited"),
    },
  },
  {
    method: "get",
    path: DEAD_LETTERS_PATH,
    operationId: "listMirrorDeadLetters",
    tags: ["admin"],
    summary: "Stream entries the mirror set aside, newest first (operators only)",
    security: bearer,
    request: { query: deadLettersQuerySchema },
    responses: {
      200: json(deadLetterPageSchema, "A page of dead letters"),
      ...errors("validation_failed", "unauthorized", "forbidden", "rate_limited"),
    },
  },
  {
    method: "get",
    path: "/v1/session",
    operationId: "getSession",
    tags: ["session"],
    summary: "Who the bearer token is",
    security: bearer,
    responses: { 200: json(sessionSchema, "The token's caller"), ...errors("unauthorized", "rate_limited") },
  },
  {
    method: "post",
    path: "/v1/session",
    operationId: "createSession",
    tags: ["session"],
    security: bearer,
    summary:
      "Sign in to the dashboard: as GET, and sets the httpOnly SameSite=Strict cookie bull-board accepts (until the token expires)",
    responses: {
      200: json(sessionSchema, "Signed in; Set-Cookie: jobstream_session (Path=/admin)"),
      ...errors("unauthorized", "rate_limited"),
    },
  },
  {
    method: "delete",
    path: "/v1/session",
    operationId: "deleteSession",
    tags: ["session"],
    security: open,
    summary: "Sign out: clears the bull-board cookie",
    description: "Public: needs no token, so an expired session can sign out too.",
    responses: { 204: { description: "Cookie cleared" }, ...badBody },
  },
  {
    method: "get",
    path: "/healthz",
    operationId: "getLiveness",
    tags: ["health"],
    security: open,
    summary: "Liveness",
    description: "Public, for probes: needs no token.",
    responses: { 200: json(livenessSchema, "Alive"), ...badBody },
  },
  {
    method: "get",
    path: "/readyz",
    operationId: "getReadiness",
    tags: ["health"],
    security: open,
    summary: "Readiness: Redis, Postgres, migrations",
    description: "Public, for probes: needs no token.",
    responses: { 200: json(readinessSchema, "Ready"), ...badBody, ...errors("unavailable") },
  },
];

/** The OpenAPI 3.1 document, generated from the zod schemas the routes validate and answer with. */
export function openApiDocument(developmentTypes = false): object {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "`pnpm token` prints one in development.",
  });
  registry.registerComponent("securitySchemes", "jobToken", {
    type: "apiKey",
    in: "header",
    name: "X-Job-Token",
    description: "The `accessToken` an enqueue answered with: reads of that one job.",
  });
  for (const route of routes(developmentTypes)) registry.registerPath(route);
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Jobstream API",
      version: "1.0.0",
      description: "Enqueue long-running jobs, follow them live, read their outcomes.",
      license: { name: "UNLICENSED", identifier: "UNLICENSED" },
    },
    servers: [{ url: "/", description: "The server that serves this document" }],
    tags: [
      { name: "jobs", description: "Enqueue, read, list, cancel and retry jobs" },
      { name: "streams", description: "Live job changes as Server-Sent Events" },
      { name: "job types", description: "The registered job types and their input schemas" },
      { name: "stats", description: "Monitoring views for admins, operators and services" },
      { name: "admin", description: "Platform operators only" },
      { name: "session", description: "Dashboard sign-in" },
      { name: "health", description: "Probes for orchestrators" },
    ],
  });
  const schemas = document.components?.schemas;
  // The recursive JSON-value union (job-types' jsonValueSchema) makes openapi-typescript emit a type
  // that references itself (TS2502), so generated clients do not compile. In a JSON body every value
  // is a JSON value, so the unconstrained schema says the same thing.
  if (schemas?.JsonValue !== undefined) schemas.JsonValue = { description: "Any JSON value" };
  return document;
}
