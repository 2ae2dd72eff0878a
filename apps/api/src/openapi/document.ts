import { OpenAPIRegistry, OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";
import { isJobTypeOpenTo, listJobKinds } from "@jobstream/job-types";
import { activeJobsSchema, deadLetterPageSchema, enqueueAnswerSchema, errorBodySchema, jobPageSchema } from "@jobstream/contract";
import { errorStatus } from "../http/errors";
import { jobViewSchema } from "../jobs/job-view";
import { sessionSchema } from "../routes/session";
import { DEAD_LETTERS_PATH, deadLettersQuerySchema } from "../routes/dead-letters";
import { MAX_PAGE_WITH_DATA, activeQuerySchema, batchBodySchema, enqueueBodySchema, itemsQuerySchema, jobIdParamsSchema, listQuerySchema } from "../jobs/schemas";

const errorSchema = errorBodySchema;
const enqueueAnswer = enqueueAnswerSchema;

const json = <S extends z.ZodType>(schema: S, description: string) => ({ description, content: { "application/json": { schema } } });
const errors = (...codes: (keyof typeof errorStatus)[]) =>
  Object.fromEntries(codes.map((code) => [errorStatus[code], json(errorSchema, code)]));

/** Answers an enqueue shares: two codes each for 409 and 429. */
const enqueueRefusals = {
  409: json(errorSchema, "idempotency_key_in_use (the key names a job the caller may not read) or idempotency_key_reused (another request)"),
  429: json(errorSchema, "rate_limited (per token) or quota_exceeded (per org: details {limit, value, orgId, requested}); see Retry-After"),
};

/**
 * Every documented enqueue body: one per example input of every type/subtype a member may enqueue
 * in this deployment (system types and, unless enabled, development types stay out of public docs).
 */
export function enqueueExamples(developmentTypes = false): Record<string, { value: unknown }> {
  const examples: Record<string, { value: unknown }> = {};
  for (const kind of listJobKinds().filter((k) => isJobTypeOpenTo(k.definition, { role: "member", developmentTypes }))) {
    kind.spec.examples.input.forEach((input, i) => {
      examples[`${kind.type}-${kind.subtype}-${i}`] = { value: { type: kind.type, subtype: kind.subtype, input } };
    });
  }
  return examples;
}

/** The OpenAPI 3.1 document, generated from the zod schemas the routes validate with. */
export function openApiDocument(developmentTypes = false): object {
  const registry = new OpenAPIRegistry();
  registry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", bearerFormat: "JWT" });
  registry.registerComponent("securitySchemes", "jobToken", { type: "apiKey", in: "header", name: "X-Job-Token" });
  const bearer: Record<string, string[]>[] = [{ bearer: [] }];
  const bearerOrJobToken: Record<string, string[]>[] = [{ bearer: [] }, { jobToken: [] }];
  const id = { params: jobIdParamsSchema };

  registry.registerPath({
    method: "post", path: "/v1/jobs", summary: "Enqueue a job", security: bearer,
    description: "`input` is validated by the job type's schema (see GET /v1/job-types).",
    request: { body: { content: { "application/json": { schema: enqueueBodySchema, examples: enqueueExamples(developmentTypes) } } } },
    responses: { 202: json(enqueueAnswer, "Accepted: stored, and queued unless Redis was unreachable"), 200: json(enqueueAnswer, "An existing job with the same idempotency key"), ...errors("validation_failed", "unauthorized", "forbidden", "payload_too_large", "unsupported_media_type"), ...enqueueRefusals },
  });
  registry.registerPath({
    method: "post", path: "/v1/jobs/batch", summary: "Enqueue up to 1,000 jobs, all or nothing", security: bearer,
    request: { body: { content: { "application/json": { schema: batchBodySchema } } } },
    responses: { 202: json(z.object({ jobs: z.array(enqueueAnswer) }), "Accepted"), ...errors("validation_failed", "unauthorized", "forbidden", "payload_too_large"), ...enqueueRefusals },
  });
  registry.registerPath({
    method: "get", path: "/v1/jobs", summary: "List jobs (newest first, keyset pages)", security: bearer, request: { query: listQuerySchema },
    description: `Job summaries: the job without \`input\` and \`output\`. \`include=input,output\` (either or both) adds them, with \`limit\` at most ${MAX_PAGE_WITH_DATA}.`,
    responses: { 200: json(jobPageSchema, "A page of job summaries"), ...errors("validation_failed", "unauthorized", "rate_limited") },
  });
  registry.registerPath({
    method: "get", path: "/v1/jobs/active", summary: "Unfinished and recently finished jobs", security: bearer, request: { query: activeQuerySchema },
    responses: { 200: json(activeJobsSchema, "Active jobs (summaries: no input or output)"), ...errors("validation_failed", "unauthorized") },
  });
  registry.registerPath({
    method: "get", path: "/v1/jobs/{id}", summary: "One job", security: bearerOrJobToken, request: id,
    responses: { 200: json(jobViewSchema, "The job"), ...errors("validation_failed", "unauthorized", "not_found") },
  });
  registry.registerPath({
    method: "get", path: "/v1/jobs/{id}/items", summary: "A job's item outcomes", security: bearerOrJobToken, request: { ...id, query: itemsQuerySchema },
    responses: {
      200: json(z.object({ items: z.array(z.object({ ref: z.string(), status: z.string(), message: z.string().nullable(), errorCode: z.string().nullable(), before: z.unknown(), after: z.unknown(), attempt: z.number().int(), processedAt: z.string().nullable() })), nextCursor: z.string().nullable() }), "Items"),
      ...errors("validation_failed", "unauthorized", "not_found"),
    },
  });
  registry.registerPath({
    method: "get", path: "/v1/jobs/{id}/events", summary: "A job's timeline", security: bearerOrJobToken, request: id,
    responses: { 200: json(z.object({ events: z.array(z.object({ type: z.string(), data: z.unknown(), at: z.string() })) }), "Timeline"), ...errors("unauthorized", "not_found") },
  });
  for (const [path, summary, data] of [["/v1/jobs/{id}/stream", "Server-Sent Events of one job until it is final (event `job`, id = version)", "Job"], ["/v1/stream", "Server-Sent Events of every job the caller may see (id = jobId:version)", "JobSummary (no input or output)"]] as const) {
    registry.registerPath({
      method: "get", path, summary, security: path === "/v1/stream" ? bearer : bearerOrJobToken,
      ...(path === "/v1/stream" ? {} : { request: id }),
      responses: { 200: { description: `text/event-stream of \`job\` events whose data is a ${data}`, content: { "text/event-stream": { schema: z.string() } } }, ...errors("unauthorized", "not_found", "rate_limited") },
    });
  }
  for (const action of ["cancel", "retry"] as const) {
    registry.registerPath({
      method: "post", path: `/v1/jobs/{id}/${action}`, summary: action === "cancel" ? "Cancel a job" : "Retry a failed or cancelled job", security: bearer, request: id,
      responses: { 200: json(z.object({ job: jobViewSchema }), "Done"), 202: json(z.object({ job: jobViewSchema }), "Accepted"), ...errors("unauthorized", "not_found", "conflict") },
    });
  }
  registry.registerPath({ method: "get", path: "/v1/job-types", summary: "Registered job types with JSON Schema", security: bearer, responses: { 200: { description: "Job types", content: { "application/json": { schema: z.object({ jobTypes: z.array(z.unknown()) }) } } } } });
  for (const path of ["/v1/stats/queues", "/v1/stats/failed", "/v1/stats/types"]) {
    const summary = path === "/v1/stats/queues"
      ? "Counts by type and status; queueDepths of the caller's org for admins (from Postgres, depthsScope org), of every org for operators and services (from BullMQ, depthsScope all)"
      : "Monitoring view (admin, operator, service)";
    registry.registerPath({ method: "get", path, summary, security: bearer, responses: { 200: { description: "Stats", content: { "application/json": { schema: z.record(z.string(), z.unknown()) } } }, ...errors("unauthorized", "forbidden") } });
  }
  registry.registerPath({
    method: "get", path: DEAD_LETTERS_PATH, summary: "Stream entries the mirror set aside, newest first (operators only)", security: bearer,
    request: { query: deadLettersQuerySchema },
    responses: { 200: json(deadLetterPageSchema, "A page of dead letters"), ...errors("validation_failed", "unauthorized", "forbidden", "rate_limited") },
  });
  registry.registerPath({ method: "get", path: "/v1/session", summary: "Who the bearer token is", security: bearer, responses: { 200: json(sessionSchema, "The token's caller"), ...errors("unauthorized") } });
  registry.registerPath({
    method: "post", path: "/v1/session", summary: "Sign in to the dashboard: as GET, and sets the httpOnly SameSite=Strict cookie bull-board accepts (until the token expires)", security: bearer,
    responses: { 200: json(sessionSchema, "Signed in; Set-Cookie: jobstream_session (Path=/admin)"), ...errors("unauthorized") },
  });
  registry.registerPath({ method: "delete", path: "/v1/session", summary: "Sign out: clears the bull-board cookie (no token needed)", responses: { 204: { description: "Cookie cleared" } } });
  registry.registerPath({ method: "get", path: "/healthz", summary: "Liveness", responses: { 200: json(z.object({ status: z.literal("ok") }), "Alive") } });
  registry.registerPath({ method: "get", path: "/readyz", summary: "Readiness: Redis, Postgres, migrations", responses: { 200: json(z.object({ status: z.literal("ready"), checks: z.unknown() }), "Ready"), ...errors("unavailable") } });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: { title: "Jobstream API", version: "1.0.0", description: "Enqueue long-running jobs, follow them live, read their outcomes." },
  });
}
