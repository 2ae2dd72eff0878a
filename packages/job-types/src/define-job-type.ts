import { z } from "zod";

/** How long a failed attempt waits before the next one. */
export const backoffSchema = z
  .object({
    type: z.enum(["fixed", "exponential"]),
    /** Base delay; doubled per attempt for `exponential`. */
    delayMs: z.number().int().min(0).max(86_400_000),
  })
  .strict();
export type Backoff = z.infer<typeof backoffSchema>;

/** Priorities run from 0 (lowest) to 100 (most urgent). */
export const PRIORITY_MIN = 0;
export const PRIORITY_MAX = 100;
/** Upper bound on `attempts` for any type or enqueue override. */
export const MAX_ATTEMPTS_LIMIT = 25;

export const jobDefaultsSchema = z
  .object({
    /** Attempts before a job fails for good. */
    attempts: z.number().int().min(1).max(MAX_ATTEMPTS_LIMIT),
    backoff: backoffSchema,
    priority: z.number().int().min(PRIORITY_MIN).max(PRIORITY_MAX),
    /** Jobs of this type one worker process runs at once. */
    concurrency: z.number().int().min(1).max(1000),
    /** An attempt running longer is aborted and counts as failed. */
    timeoutMs: z.number().int().min(1).max(86_400_000),
    /** A finished job is deleted this long after it was created. */
    retentionSeconds: z.number().int().min(60),
  })
  .strict();
export type JobDefaults = z.infer<typeof jobDefaultsSchema>;

/** A named phase of a handler; weights split 0–100 % progress between steps. */
export interface StepDefinition {
  readonly name: string;
  readonly weight: number;
}

/** A payload a schema must reject, and the field path (dot-joined) it must name. */
export interface InvalidExample {
  readonly value: unknown;
  readonly path: string;
}

export interface SubtypeDefinition<
  I extends z.ZodType = z.ZodType,
  O extends z.ZodType = z.ZodType,
  S extends z.ZodType = z.ZodType,
> {
  readonly description: string;
  /** Validated by the API at enqueue and again by the worker. */
  readonly input: I;
  /** The handler's return value. */
  readonly output: O;
  /** Before/after state of one item outcome. */
  readonly item: S;
  readonly steps?: readonly StepDefinition[];
  /** Documented payloads: accepted ones appear in the API docs; tests check all of them. */
  readonly examples: {
    readonly input: readonly z.input<I>[];
    readonly output: readonly z.input<O>[];
    readonly item: readonly z.input<S>[];
    readonly invalidInput: readonly InvalidExample[];
  };
}

export interface JobTypeDefinition<
  S extends Record<string, SubtypeDefinition> = Record<string, SubtypeDefinition>,
> {
  /** Also the BullMQ queue name: one queue per job type. */
  readonly type: string;
  readonly description: string;
  /** Used when an enqueue names no subtype; defineJobType checks it names one of `subtypes`. */
  readonly defaultSubtype?: string;
  readonly defaults: JobDefaults;
  readonly subtypes: S;
}

/** Identity function that keeps the literal subtype names for the typed registry. */
export function defineJobType<const S extends Record<string, SubtypeDefinition>>(
  definition: JobTypeDefinition<S> & { readonly defaultSubtype?: keyof S & string },
): JobTypeDefinition<S> {
  jobDefaultsSchema.parse(definition.defaults);
  return definition;
}

/** JSON object payloads (metadata, arbitrary echoes) stay plain JSON. */
export const jsonValueSchema: z.ZodType<JsonValue> = z
  .lazy(() =>
    z.union([
      z.string(),
      z.number(),
      z.boolean(),
      z.null(),
      z.array(jsonValueSchema),
      z.record(z.string(), jsonValueSchema),
    ]),
  )
  // A named schema, so JSON Schema and OpenAPI generators can refer to it recursively.
  .meta({ id: "JsonValue" });
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
