import { z } from "zod";
import { defineJobType } from "../define-job-type";

const cleanupInput = z
  .object({
    /** Rows deleted per statement; small batches keep locks short. */
    batchSize: z.number().int().min(1).max(10_000).default(1000),
    /** Stop after this many batches in one run (the next run continues). */
    maxBatches: z.number().int().min(1).max(10_000).default(100),
    /** Count what would be deleted without deleting. */
    dryRun: z.boolean().default(false),
  })
  .strict();

const cleanupOutput = z
  .object({
    deleted: z.number().int().min(0),
    batches: z.number().int().min(0),
    dryRun: z.boolean(),
  })
  .strict();

/** Retention sweeps report one item per batch, ref `batch-<n>`. */
const cleanupItem = z.object({ deleted: z.number().int().min(0) }).strict();

export const maintenance = defineJobType({
  type: "maintenance",
  description: "Jobstream's own housekeeping work.",
  defaultSubtype: "cleanup",
  // A system type: its retention delete spans every org, so only platform staff and backends start it.
  enqueueRoles: ["operator", "service"],
  limits: { maxItems: 10_000 },
  defaults: {
    attempts: 2,
    backoff: { type: "fixed", delayMs: 5000 },
    priority: 10,
    concurrency: 1,
    timeoutMs: 600_000,
    retentionSeconds: 86_400,
  },
  subtypes: {
    cleanup: {
      description: "Retention sweep: deletes finished jobs whose expires_at has passed, in batches.",
      input: cleanupInput,
      // One item per batch.
      itemsOf: (input: z.output<typeof cleanupInput>) => input.maxBatches,
      output: cleanupOutput,
      item: cleanupItem,
      examples: {
        input: [{}, { batchSize: 500, maxBatches: 10, dryRun: true }],
        output: [{ deleted: 1200, batches: 3, dryRun: false }],
        item: [{ deleted: 500 }],
        invalidInput: [
          { value: { batchSize: 0 }, path: "batchSize" },
          { value: { dryRun: "yes" }, path: "dryRun" },
          { value: { olderThan: "2020-01-01" }, path: "" },
        ],
      },
    },
  },
});
