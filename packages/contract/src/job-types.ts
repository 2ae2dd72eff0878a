import { z } from "zod";
import { named } from "./fields";

/** JSON Schema documents, as the registry renders each type's zod schemas. */
const jsonSchema = z.record(z.string(), z.unknown());

export const jobSubtypeDescriptionSchema = named("JobSubtypeDescription", {
  subtype: z.string(),
  description: z.string(),
  steps: z.array(z.object({ name: z.string(), weight: z.number() })),
  inputSchema: jsonSchema,
  outputSchema: jsonSchema,
  itemSchema: jsonSchema,
  examples: z.array(z.unknown()),
});

/** One registered job type (`GET /v1/job-types`): its defaults and the JSON Schema of each subtype. */
export const jobTypeDescriptionSchema = named("JobTypeDescription", {
  type: z.string(),
  description: z.string(),
  defaultSubtype: z.string().nullable(),
  defaults: z.record(z.string(), z.unknown()),
  /** Per-job limits the API and the worker enforce (`maxItems`: item outcomes one job may report). */
  limits: z.object({ maxItems: z.number().int() }),
  subtypes: z.array(jobSubtypeDescriptionSchema),
});
export type JobTypeDescriptionView = z.infer<typeof jobTypeDescriptionSchema>;

export const jobTypeListSchema = named("JobTypeList", { jobTypes: z.array(jobTypeDescriptionSchema) });
export type JobTypeList = z.infer<typeof jobTypeListSchema>;
