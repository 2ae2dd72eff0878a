import { z } from "zod";
import { named } from "./fields";
import { jobViewSchema } from "./job";

/** What `POST /v1/jobs/{id}/cancel` and `/retry` answer: the job after the action. */
export const jobActionAnswerSchema = named("JobActionAnswer", { job: jobViewSchema });
export type JobActionAnswer = z.infer<typeof jobActionAnswerSchema>;

/**
 * What `POST /v1/jobs/bulk` answers (202): the bulk job doing the work (read it as any job: its
 * progress, one item per batch, its output `{ done, skipped, batches }`) and how many jobs the
 * filter matched when the request came.
 */
export const bulkAnswerSchema = named("BulkAnswer", {
  bulk: named("BulkRef", { id: z.uuid(), matched: z.number().int().min(0) }),
});
export type BulkAnswer = z.infer<typeof bulkAnswerSchema>;

/**
 * What `POST /v1/jobs/bulk` with `dryRun: true` answers (200): how many jobs the filter matches
 * now, counted as a real request would count them; nothing is queued or changed.
 */
export const bulkDryRunAnswerSchema = named("BulkDryRunAnswer", { matched: z.number().int().min(0) });
export type BulkDryRunAnswer = z.infer<typeof bulkDryRunAnswerSchema>;
