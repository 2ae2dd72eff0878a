import { z } from "zod";
import { defineJobType, EVERY_ROLE, jsonValueSchema } from "../define-job-type";

/** Largest item count one synthetic job may report (the item-rate benchmark uses 100,000). */
export const SYNTHETIC_MAX_ITEMS = 100_000;

const workInput = z
  .object({
    /** Total sleep, spread over the steps; honours cancellation. */
    durationMs: z.number().int().min(0).max(3_600_000).optional(),
    /** Item outcomes to report, refs `item-0` … `item-(n-1)`. */
    items: z.number().int().min(0).max(SYNTHETIC_MAX_ITEMS).optional(),
    /** Indexes of items reported as errors. */
    failItems: z.array(z.number().int().min(0)).max(SYNTHETIC_MAX_ITEMS).optional(),
    /** The first N attempts throw. */
    failAttempts: z.number().int().min(0).max(100).optional(),
    steps: z.array(z.string().min(1).max(100)).max(50).optional(),
    /** Echoed back in the output. */
    output: jsonValueSchema.optional(),
  })
  .strict();

const noopInput = z
  .object({
    items: z.number().int().min(0).max(SYNTHETIC_MAX_ITEMS).optional(),
    output: jsonValueSchema.optional(),
  })
  .strict();

const gatherInput = z
  .object({
    /** Sub-jobs (`synthetic/work`) the handler adds while it runs, then waits for. */
    spawn: z.number().int().min(0).max(100).optional(),
    /** The input of each spawned sub-job. */
    childInput: workInput.optional(),
    /**
     * Spawn this sub-job instead of `synthetic/work`: any type (flows across job types), its input
     * checked when spawned (a bad one fails the gather job).
     */
    childJob: z
      .object({
        type: z.string().min(1).max(100),
        subtype: z.string().min(1).max(100).optional(),
        input: jsonValueSchema,
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((input) => input.childInput === undefined || input.childJob === undefined, {
    path: ["childJob"],
    message: "give childInput or childJob, not both",
  });

const gatherOutput = z
  .object({
    /** Every sub-job of the job (given at enqueue or spawned) as the handler read it. */
    children: z.array(z.object({ id: z.string(), status: z.string(), output: jsonValueSchema.nullable() }).strict()),
  })
  .strict();

const output = z.object({ echo: jsonValueSchema.optional(), items: z.number().int().min(0) }).strict();

const item = z.object({ index: z.number().int().min(0) }).strict();

export const synthetic = defineJobType({
  type: "synthetic",
  description: "Built-in job type for tests, demos and benchmarks.",
  defaultSubtype: "work",
  enqueueRoles: EVERY_ROLE,
  development: true,
  limits: { maxItems: SYNTHETIC_MAX_ITEMS },
  defaults: {
    attempts: 3,
    backoff: { type: "fixed", delayMs: 100 },
    priority: 50,
    concurrency: 50,
    timeoutMs: 600_000,
    retentionSeconds: 7 * 86_400,
  },
  subtypes: {
    work: {
      description:
        "Sleeps durationMs over its steps, reports `items` outcomes (failItems as errors), " +
        "throws on its first failAttempts attempts, returns { echo: output, items }.",
      input: workInput,
      itemsOf: (input: z.output<typeof workInput>) => input.items ?? 0,
      output,
      item,
      examples: {
        input: [
          {},
          { durationMs: 2000, items: 50, failItems: [3, 7, 11], steps: ["fetch", "transform", "load"] },
          { failAttempts: 2, output: { hello: "world" } },
        ],
        output: [{ echo: { hello: "world" }, items: 50 }, { items: 0 }],
        item: [{ index: 0 }],
        invalidInput: [
          { value: { durationMs: -1 }, path: "durationMs" },
          { value: { items: "ten" }, path: "items" },
          { value: { failItems: [1, -2] }, path: "failItems.1" },
          { value: { steps: [""] }, path: "steps.0" },
          { value: { unknownField: true }, path: "" },
        ],
      },
    },
    gather: {
      description:
        "A flow's parent: adds `spawn` synthetic/work (or `childJob`) sub-jobs while it runs (if any), waits for them, " +
        "and returns every sub-job's status and output.",
      input: gatherInput,
      // Reports no items itself; the sub-jobs it spawns are enqueued (and counted) on their own.
      itemsOf: () => 0,
      output: gatherOutput,
      item,
      examples: {
        input: [{}, { spawn: 3, childInput: { durationMs: 100 } }],
        output: [{ children: [{ id: "7d1f0c2e-3b6a-4a53-9a55-2f1f0c9d8e11", status: "completed", output: null }] }],
        item: [{ index: 0 }],
        invalidInput: [
          { value: { spawn: -1 }, path: "spawn" },
          { value: { spawn: 101 }, path: "spawn" },
          { value: { spawn: 1, childInput: {}, childJob: { type: "import", input: {} } }, path: "childJob" },
        ],
      },
    },
    noop: {
      description: "Does no work (reports `items` outcomes if asked); for throughput.",
      input: noopInput,
      itemsOf: (input: z.output<typeof noopInput>) => input.items ?? 0,
      output,
      item,
      examples: {
        input: [{}, { items: 10 }],
        output: [{ items: 10 }],
        item: [{ index: 9 }],
        invalidInput: [
          { value: { items: SYNTHETIC_MAX_ITEMS + 1 }, path: "items" },
          { value: { durationMs: 5 }, path: "" },
        ],
      },
    },
  },
});
