import type { RouteConfig } from "@asteasolutions/zod-to-openapi";
import type { ZodObject } from "zod";
import {
  deadLetterPageSchema,
  failedJobsAnswerSchema,
  jobTypeListSchema,
  livenessSchema,
  queueStatsAnswerSchema,
  readinessSchema,
  sessionSchema,
  timeseriesAnswerSchema,
  typeStatsAnswerSchema,
} from "@jobstream/contract";
import { DEAD_LETTERS_PATH, deadLettersQuerySchema } from "../routes/dead-letters";
import { statsQuerySchema } from "../routes/stats";
import { timeseriesQueryObject } from "../routes/timeseries";
import { badBody, bearer, errors, json, open, readRoute, type ReadOf } from "./route-kit";

type MonitoringRead = ReadOf<{ query: ZodObject }>;

/** A GET that only privileged roles may call: members are answered 403. */
function monitoringRead({ tag = "stats", query, ...read }: MonitoringRead) {
  return readRoute({ ...read, tag, security: bearer, request: { query }, refusals: ["forbidden"] });
}

/** Job types, monitoring, sign-in and probes. */
export const operationsRoutes: RouteConfig[] = [
  {
    method: "get",
    path: "/v1/job-types",
    operationId: "listJobTypes",
    tags: ["job types"],
    summary: "Registered job types with JSON Schema",
    security: bearer,
    responses: { 200: json(jobTypeListSchema, "Job types"), ...errors("unauthorized", "rate_limited") },
  },
  monitoringRead({
    path: "/v1/stats/queues",
    operationId: "getQueueStats",
    summary: "Jobs per type and status over 24 h, queue depths and paused queues (admin, operator, service)",
    description:
      "`queueDepths` of the caller's org for admins (from Postgres, `depthsScope: org`), of every org for " +
      "operators and services (from BullMQ, `depthsScope: all`).",
    query: statsQuerySchema,
    answer: json(queueStatsAnswerSchema, "Queue stats"),
  }),
  monitoringRead({
    path: "/v1/stats/failed",
    operationId: "listFailedJobs",
    summary: "Failed jobs needing attention (admin, operator, service)",
    query: statsQuerySchema,
    answer: json(failedJobsAnswerSchema, "Failed jobs"),
  }),
  monitoringRead({
    path: "/v1/stats/types",
    operationId: "getTypeStats",
    summary: "Totals per job type over 7 days (admin, operator, service)",
    query: statsQuerySchema,
    answer: json(typeStatsAnswerSchema, "Type stats"),
  }),
  monitoringRead({
    path: "/v1/stats/timeseries",
    operationId: "getTimeseries",
    summary:
      "Jobs created, completed, failed and cancelled per time bucket, with run-time p50/p95 (admin, operator, service)",
    description:
      "One org (an admin's own, or `orgId`): counted from its jobs, exact percentiles. Every org (operators and " +
      "services without `orgId`): from per-minute (1m, 5m) or per-hour (1h, 1d) rollups, percentiles within 12 %. " +
      "Buckets are UTC-aligned; at most 1,500 per answer.",
    query: timeseriesQueryObject,
    answer: json(timeseriesAnswerSchema, "The buckets of the range, oldest first"),
  }),
  monitoringRead({
    path: DEAD_LETTERS_PATH,
    operationId: "listMirrorDeadLetters",
    tag: "admin",
    summary: "Stream entries the mirror set aside, newest first (operators only)",
    query: deadLettersQuerySchema,
    answer: json(deadLetterPageSchema, "A page of dead letters"),
  }),
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
      "Sign in to the dashboard: as GET, and sets the httpOnly SameSite=Strict cookie bull-board accepts " +
      "(until the token expires)",
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
