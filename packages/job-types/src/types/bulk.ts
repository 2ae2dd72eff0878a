import { z } from "zod";
import { defineJobType, type JobDefaults, type SubtypeDefinition } from "../define-job-type";

const statuses = [
  "pending",
  "queued",
  "delayed",
  "waiting_children",
  "running",
  "completed",
  "failed",
  "cancelled",
] as const;

/** The job list's filters that are plain values: the same in `GET /v1/jobs`'s query and here. */
export const jobFilterFields = {
  type: z.string().min(1).max(100).optional(),
  subtype: z.string().min(1).max(100).optional(),
  userId: z.guid().optional(),
  groupId: z.string().min(1).max(200).optional(),
  parentId: z.uuid().optional(),
  /** A schedule's runs. */
  scheduleId: z.uuid().optional(),
};

/** System types: enqueued directly only by platform staff and backends (their input may name any org). */
const SYSTEM_ROLES = ["operator", "service"] as const;

/**
 * The jobs a bulk action applies to: `GET /v1/jobs`'s filters as the API parsed them, with the
 * scope it allowed (`orgId` null: every org) and `createdTo` set no later than the request, so
 * jobs created afterwards are never touched.
 */
const bulkInput = z
  .object({
    orgId: z.uuid().nullable(),
    filter: z
      .object({
        statuses: z.array(z.enum(statuses)).optional(),
        ...jobFilterFields,
        createdFrom: z.iso.datetime().optional(),
        createdTo: z.iso.datetime(),
        search: z.string().min(1).max(200).optional(),
        metadata: z.record(z.string(), z.unknown()).optional(),
      })
      .strict(),
    /** How many jobs matched at request time: the progress bar's 100 %. */
    matched: z.number().int().min(0).optional(),
    /** Jobs acted on between two saves of the progress (a crash repeats at most one batch's reads). */
    batchSize: z.number().int().min(10).max(1000).default(200),
  })
  .strict();

const bulkOutput = z
  .object({ done: z.number().int().min(0), skipped: z.number().int().min(0), batches: z.number().int().min(0) })
  .strict();

/** One item per batch, ref `batch-<n>`: what it did and the last job it reached. */
const bulkItem = z
  .object({
    done: z.number().int().min(0),
    skipped: z.number().int().min(0),
    lastId: z.uuid(),
    /** A delete's audit: the jobs it removed (their own timelines go with them). */
    deleted: z.array(z.uuid()).max(1000).optional(),
  })
  .strict();

const example = { orgId: null, filter: { statuses: ["failed"], createdTo: "2026-11-29T12:00:00.000Z" } };

function action(description: string) {
  return {
    description,
    input: bulkInput,
    output: bulkOutput,
    item: bulkItem,
    // One item per batch of the jobs matched at request time (the walk may meet a few more).
    itemsOf: (input: z.output<typeof bulkInput>) => Math.ceil((input.matched ?? 0) / input.batchSize),
    examples: {
      input: [example, { ...example, matched: 12_000, batchSize: 500 }],
      output: [{ done: 120, skipped: 3, batches: 1 }],
      item: [{ done: 197, skipped: 3, lastId: "00000000-0000-4000-8000-000000000001" }],
      invalidInput: [
        { value: { orgId: null, filter: {} }, path: "filter.createdTo" },
        { value: { ...example, filter: { ...example.filter, statuses: ["done"] } }, path: "filter.statuses.0" },
        { value: { ...example, batchSize: 0 }, path: "batchSize" },
      ],
    },
  } satisfies SubtypeDefinition;
}

/** A crash resumes from the saved progress: further attempts only continue the walk. */
const bulkDefaults = {
  attempts: 5,
  backoff: { type: "fixed", delayMs: 1000 },
  priority: 10,
  concurrency: 2,
  timeoutMs: 3_600_000,
  retentionSeconds: 7 * 86_400,
} satisfies JobDefaults;

export const bulk = defineJobType({
  type: "bulk",
  description: "Jobstream's bulk actions (POST /v1/jobs/bulk): one action on every job a filter matched.",
  subtypes: {
    cancel: action("Cancels every unfinished matching job (running ones are asked to stop)."),
    retry: action("Retries every failed or cancelled matching job."),
    delete: action("Deletes every finished (completed, failed, cancelled) matching job."),
  },
  defaultSubtype: "cancel",
  // Started through POST /v1/jobs/bulk, which sets the scope from the caller's token.
  enqueueRoles: SYSTEM_ROLES,
  // One item per batch: 10,000 batches of up to 1,000 jobs.
  limits: { maxItems: 10_000 },
  defaults: bulkDefaults,
});
