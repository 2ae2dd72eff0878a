import { z } from "zod";
import type { JobTypeDefinition } from "./define-job-type";
import { isJobTypeOpenTo, jobTypes, type JobTypeAudience } from "./registry";

export interface SubtypeDescription {
  readonly subtype: string;
  readonly description: string;
  readonly steps: readonly { name: string; weight: number }[];
  readonly inputSchema: unknown;
  readonly outputSchema: unknown;
  readonly itemSchema: unknown;
  readonly examples: readonly unknown[];
}

export interface JobTypeDescription {
  readonly type: string;
  readonly description: string;
  readonly defaultSubtype: string | null;
  readonly defaults: unknown;
  readonly limits: { readonly maxItems: number };
  readonly subtypes: readonly SubtypeDescription[];
}

/** The registry as JSON Schema (what `GET /v1/job-types` serves), limited to the types open to `audience`. */
export function describeJobTypes(audience?: JobTypeAudience): JobTypeDescription[] {
  const definitions: readonly JobTypeDefinition[] = Object.values(jobTypes);
  const open = audience === undefined ? definitions : definitions.filter((d) => isJobTypeOpenTo(d, audience));
  return open.map((definition) => ({
    type: definition.type,
    description: definition.description,
    defaultSubtype: definition.defaultSubtype ?? null,
    defaults: definition.defaults,
    limits: definition.limits,
    subtypes: Object.entries(definition.subtypes).map(([subtype, spec]) => ({
      subtype,
      description: spec.description,
      steps: spec.steps ?? [],
      inputSchema: z.toJSONSchema(spec.input, { io: "input" }),
      outputSchema: z.toJSONSchema(spec.output, { io: "output" }),
      itemSchema: z.toJSONSchema(spec.item, { io: "output" }),
      examples: spec.examples.input,
    })),
  }));
}
