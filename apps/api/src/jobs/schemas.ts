import { z } from "zod";
import { groupIdSchema } from "@jobstream/contract";
import { instantSchema } from "./instant";
import { metadataFilterSchema } from "./metadata-filter";
import { jobItemStatuses, jobStatuses } from "@jobstream/db/status";
import {
  backoffSchema,
  jobFilterFields,
  jsonValueSchema,
  MAX_ATTEMPTS_LIMIT,
  PRIORITY_MAX,
  PRIORITY_MIN,
} from "@jobstream/job-types";

const MAX_DELAY_MS = 365 * 86_400_000;
/** Most jobs one request may create, sub-jobs at any depth included (a batch counts all of its jobs). */
export const MAX_FLOW_JOBS = 1000;
/** Largest metadata object, serialized. */
const MAX_METADATA_BYTES = 16_384;

/** Body of `POST /v1/jobs` (and each element of a batch). Unknown fields are refused. */
export const enqueueBodySchema = z
  .object({
    type: z.string().min(1).max(100),
    subtype: z.string().min(1).max(100).optional(),
    /** Human label; defaults to "<type>/<subtype>". */
    name: z.string().trim().min(1).max(500).optional(),
    /** Validated by the job type's input schema. */
    input: z.unknown(),
    /** 0–100, higher runs first. */
    priority: z.number().int().min(PRIORITY_MIN).max(PRIORITY_MAX).optional(),
    /** At most a year ahead, like `delayMs`. */
    runAt: instantSchema()
      .refine((value) => Date.parse(value) <= Date.now() + MAX_DELAY_MS, "must be at most 365 days ahead")
      .optional(),
    delayMs: z.number().int().min(0).max(MAX_DELAY_MS).optional(),
    maxAttempts: z.number().int().min(1).max(MAX_ATTEMPTS_LIMIT).optional(),
    backoff: backoffSchema.optional(),
    timeoutMs: z.number().int().min(100).max(86_400_000).optional(),
    /** `schedule:…` keys are the runs of schedules (one per tick): a caller could otherwise pre-empt a run. */
    idempotencyKey: z
      .string()
      .min(1)
      .max(200)
      .refine((key) => !key.startsWith("schedule:"), "keys starting with schedule: are reserved for schedule runs")
      .optional(),
    parentId: z.uuid().optional(),
    groupId: groupIdSchema.optional(),
    metadata: z
      .record(z.string().max(200), jsonValueSchema)
      .refine(
        (m) => JSON.stringify(m).length <= MAX_METADATA_BYTES,
        `must serialize to at most ${MAX_METADATA_BYTES} bytes`,
      )
      .optional(),
    expiresInSeconds: z
      .number()
      .int()
      .min(60)
      .max(5 * 365 * 86_400)
      .optional(),
    /** Service tokens only: the org and user the job is created for (any UUID-shaped id). */
    orgId: z.guid().optional(),
    userId: z.guid().optional(),
    /** Sub-jobs (bodies like this one, checked one by one): this job runs once each is final. */
    children: z.array(z.unknown()).min(1).max(MAX_FLOW_JOBS).optional(),
    /** What a failed sub-job means: `fail` (default) fails this job with `child_failed`; `ignore` runs it anyway. */
    onChildFailure: z.enum(["fail", "ignore"]).optional(),
  })
  .strict()
  .refine((b) => b.onChildFailure === undefined || b.children !== undefined, {
    message: "only a job with children has an onChildFailure",
    path: ["onChildFailure"],
  })
  .refine((b) => b.runAt === undefined || b.delayMs === undefined, {
    message: "give runAt or delayMs, not both",
    path: ["delayMs"],
  });
export type EnqueueBody = z.output<typeof enqueueBodySchema>;

export const MAX_BATCH = 1000;

/** Fields a sub-job takes from its parent (or, for idempotency, from its flow's root) and may not set. */
export const INHERITED_FIELDS = ["orgId", "userId", "groupId", "parentId", "idempotencyKey"] as const;

/** How many jobs a body asks for, sub-jobs included; stops counting past `cap` (bodies are not trusted yet). */
export function countFlowJobs(body: unknown, cap = MAX_FLOW_JOBS): number {
  let count = 0;
  const pending: unknown[] = [body];
  while (pending.length > 0 && count <= cap) {
    const next = pending.pop();
    count++;
    if (typeof next === "object" && next !== null && "children" in next && Array.isArray(next.children))
      pending.push(...(next.children as unknown[]));
  }
  return count;
}

/** `groupId`: every job of the batch joins that group (a job naming another one is refused). */
export const batchBodySchema = z
  .object({ jobs: z.array(z.unknown()).min(1).max(MAX_BATCH), groupId: groupIdSchema.optional() })
  .strict();

export const jobIdParamsSchema = z.object({ id: z.uuid() });

/** A comma-separated query parameter (`a,b`), blanks dropped, each part checked by `values`. */
function commaList<T extends readonly [string, ...string[]]>(values: T) {
  return z
    .string()
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== ""),
    )
    .pipe(z.array(z.enum(values)).max(values.length));
}

const statusList = commaList(jobStatuses);

/** Largest page of `GET /v1/jobs` with `include=input,output` (each job may carry megabytes). */
export const MAX_PAGE_WITH_DATA = 50;

/** `include=input,output`: the list adds the named (potentially large) fields. */
const includeList = commaList(["input", "output"]);

/** The filters of `GET /v1/jobs`; also the `filter` of `POST /v1/jobs/bulk` (the same object). */
export const listFilterSchema = z.object({
  status: statusList.optional(),
  ...jobFilterFields,
  orgId: z.guid().optional(),
  createdFrom: instantSchema().optional(),
  createdTo: instantSchema().optional(),
  q: z.string().min(1).max(200).optional().describe("Case-insensitive substring of the job's name"),
  metadata: metadataFilterSchema
    .optional()
    .describe('A URL-encoded JSON object the job\'s metadata must contain, e.g. {"shop":"a"} (JSONB containment)'),
});

export const listQuerySchema = listFilterSchema
  .extend({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().min(1).max(200).optional(),
    include: includeList.optional(),
  })
  .strict()
  .refine((q) => q.include === undefined || q.include.length === 0 || q.limit <= MAX_PAGE_WITH_DATA, {
    message: `at most ${MAX_PAGE_WITH_DATA} with include=input,output`,
    path: ["limit"],
  });

/** `GET /v1/jobs/:id/children`: the sub-jobs of one job, newest first, optionally some statuses. */
export const childrenQuerySchema = z
  .object({
    status: statusList.optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().min(1).max(200).optional(),
  })
  .strict();

export const activeQuerySchema = z
  .object({
    recentMinutes: z.coerce.number().int().min(0).max(1440).default(5),
    hours: z.coerce.number().int().min(1).max(168).default(1),
    limit: z.coerce.number().int().min(1).max(500).default(200),
    orgId: z.guid().optional(),
  })
  .strict();

export const itemsQuerySchema = z
  .object({
    status: z.enum(jobItemStatuses).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    cursor: z.string().min(1).max(100).optional(),
    /** The per-job access token may come as a query parameter; authenticate reads it. */
    token: z.string().optional(),
  })
  .strict();

export const tokenOnlyQuerySchema = z.object({ token: z.string().optional() }).strict();
