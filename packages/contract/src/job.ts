import { z } from "zod";
import { isoDate, named } from "./fields";
import { cursorPage } from "./page";
import { jobItemStatuses, jobStatuses } from "./status";

const jobFields = {
  id: z.uuid(),
  type: z.string(),
  subtype: z.string().nullable(),
  name: z.string(),
  status: z.enum(jobStatuses),
  priority: z.number().int(),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  progress: z.object({ percent: z.number(), message: z.string().nullable(), step: z.string().nullable() }),
  items: z.object({
    total: z.number().int(),
    processed: z.number().int(),
    failed: z.number().int(),
    skipped: z.number().int(),
  }),
  /** `stack` only for operator and service callers (it shows server paths and versions). */
  error: z.object({ code: z.string(), message: z.string(), stack: z.string().optional() }).nullable(),
  parentId: z.uuid().nullable(),
  groupId: z.string().nullable(),
  /** The schedule whose tick created the job; null for jobs enqueued directly. */
  scheduleId: z.uuid().nullable(),
  metadata: z.unknown(),
  createdAt: isoDate,
  queuedAt: isoDate.nullable(),
  startedAt: isoDate.nullable(),
  completedAt: isoDate.nullable(),
  cancelledAt: isoDate.nullable(),
  durationMs: z.number().int().nullable(),
  /** When the finished job is deleted; null while it has not finished. */
  expiresAt: isoDate.nullable(),
};

/** A flow's parent's sub-jobs at a glance: how many, by status, and their mean progress (final ones count 100). */
export const childSummarySchema = named("ChildSummary", {
  total: z.number().int(),
  counts: z.partialRecord(z.enum(jobStatuses), z.number().int()),
  progress: z.number(),
});
export type ChildSummary = z.infer<typeof childSummarySchema>;

/**
 * The job as `GET /v1/jobs/:id` shows it (fixed interface): no Redis ids, hashes or stacks. A job
 * with sub-jobs also has `children` there (lists and streams leave it out).
 */
export const jobViewSchema = named("Job", {
  ...jobFields,
  input: z.unknown(),
  output: z.unknown(),
  children: childSummarySchema.optional(),
});
export type JobView = z.infer<typeof jobViewSchema>;

/**
 * A job in lists and the all-jobs stream: the view without `input` and `output`, which may be
 * megabytes each (`include=input,output` on a list adds them back, with a smaller page cap).
 */
export const jobSummarySchema = named("JobSummary", {
  ...jobFields,
  input: z.unknown().optional(),
  output: z.unknown().optional(),
  /** Only in pages of `GET /v1/jobs/:id/children`, for a sub-job with sub-jobs of its own. */
  children: childSummarySchema.optional(),
});
export type JobSummary = z.infer<typeof jobSummarySchema>;

export const jobItemViewSchema = named("JobItem", {
  ref: z.string(),
  status: z.enum(jobItemStatuses),
  message: z.string().nullable(),
  errorCode: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  attempt: z.number().int(),
  processedAt: isoDate.nullable(),
});
export type JobItemView = z.infer<typeof jobItemViewSchema>;

export const jobEventViewSchema = named("JobEvent", { type: z.string(), data: z.unknown(), at: isoDate });
export type JobEventView = z.infer<typeof jobEventViewSchema>;

export const jobPageSchema = cursorPage("jobs", jobSummarySchema).meta({ id: "JobPage" });
export type JobPage = z.infer<typeof jobPageSchema>;

export const activeJobsSchema = named("ActiveJobs", { jobs: z.array(jobSummarySchema), running: z.number().int() });
export type ActiveJobs = z.infer<typeof activeJobsSchema>;

export const itemPageSchema = cursorPage("items", jobItemViewSchema).meta({ id: "JobItemPage" });
export type ItemPage = z.infer<typeof itemPageSchema>;

export const eventListSchema = named("JobEventList", { events: z.array(jobEventViewSchema) });
export type EventList = z.infer<typeof eventListSchema>;

/** What `POST /v1/jobs` answers (and each element of a batch answer). `accessToken` is shown once. */
export interface EnqueueAnswer {
  job: JobView;
  pollUrl: string;
  streamUrl: string;
  accessToken: string | null;
  /** The answers of the request's `children`, in order (only for a job enqueued with children). */
  children?: EnqueueAnswer[];
}
export const enqueueAnswerSchema: z.ZodType<EnqueueAnswer> = named("EnqueueAnswer", {
  job: jobViewSchema,
  pollUrl: z.string(),
  streamUrl: z.string(),
  accessToken: z.string().nullable(),
  get children() {
    return z.array(enqueueAnswerSchema).optional();
  },
});

export const batchAnswerSchema = named("BatchAnswer", { jobs: z.array(enqueueAnswerSchema) });
export type BatchAnswer = z.infer<typeof batchAnswerSchema>;

/** What `POST /v1/jobs/:id/cancel` and `/retry` answer. */
export const jobAnswerSchema = named("JobAnswer", { job: jobViewSchema });
export type JobAnswer = z.infer<typeof jobAnswerSchema>;
