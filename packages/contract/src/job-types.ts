import { z } from "zod";

/** JSON Schema documents, as the registry renders each type's zod schemas. */
const jsonSchema = z.record(z.string(), z.unknown());

export const jobSubtypeDescriptionSchema = z
  .object({
    subtype: z.string(),
    description: z.string(),
    steps: z.array(z.object({ name: z.string(), weight: z.number() })),
    inputSchema: jsonSchema,
    outputSchema: jsonSchema,
    itemSchema: jsonSchema,
    examples: z.array(z.unknown()),
  })
  .meta({ id: "JobSubtypeDescription" });

/** One registered job type (`GET /v1/job-types`): its defaults and the JSON Schema of each subtype. */
export const jobTypeDescriptionSchema = z
  .object({
    type: z.string(),
    description: z.string(),
    defaultSubtype: z.string().nullable(),
    defaults: z.record(z.string(), z.unknown()),
    /** Per-job limits the API and the worker enforce (`maxItems`: item outcomes one job may report). */
    limits: z.object({ maxItems: z.number().int() }),
    subtypes: z.array(jobSubtypeDescriptionSchema),
  })
  .meta({ id: "JobTypeDescription" });
export type JobTypeDescriptionView = z.infer<typeof jobTypeDescriptionSchema>;

export const jobTypeListSchema = z.object({ jobTypes: z.array(jobTypeDescriptionSchema) }).meta({ id: "JobTypeList" });
export type JobTypeList = z.infer<typeof jobTypeListSchema>;
