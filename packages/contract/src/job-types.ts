import { z } from "zod";

/** One type/subtype as `GET /v1/job-types` describes it: JSON Schemas of its input, output and items. */
export const subtypeDescriptionSchema = z
  .object({
    subtype: z.string(),
    description: z.string(),
    steps: z.array(z.object({ name: z.string(), weight: z.number() })),
    inputSchema: z.unknown(),
    outputSchema: z.unknown(),
    itemSchema: z.unknown(),
    examples: z.array(z.unknown()),
  })
  .meta({ id: "SubtypeDescription" });
export type SubtypeDescriptionView = z.infer<typeof subtypeDescriptionSchema>;

export const jobTypeDescriptionSchema = z
  .object({
    type: z.string(),
    description: z.string(),
    defaultSubtype: z.string().nullable(),
    defaults: z.unknown(),
    subtypes: z.array(subtypeDescriptionSchema),
  })
  .meta({ id: "JobTypeDescription" });
export type JobTypeDescriptionView = z.infer<typeof jobTypeDescriptionSchema>;

/** What `GET /v1/job-types` answers. */
export const jobTypeListSchema = z.object({ jobTypes: z.array(jobTypeDescriptionSchema) }).meta({ id: "JobTypeList" });
export type JobTypeList = z.infer<typeof jobTypeListSchema>;
