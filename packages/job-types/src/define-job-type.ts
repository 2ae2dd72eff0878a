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

/**
 * Roles of bearer tokens (mirrors `@jobstream/contract`'s `roles`; this package stays a zod-only leaf).
 * A job type lists the roles that may enqueue it; for any other role the type does not exist.
 */
export type EnqueueRole = "member" | "admin" | "operator" | "service";
/** Everyone with a bearer token: the default for product job types. */
export const EVERY_ROLE: readonly EnqueueRole[] = ["member", "admin", "operator", "service"];

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
  /**
   * How many items a job with this (parsed) input will report, when the input tells; checked
   * against the type's `limits.maxItems` at enqueue. An upper bound is fine: over it is refused.
   */
  // Method syntax on purpose: each subtype annotates its own parsed input type.
  itemsOf?(input: z.output<I>): number;
  /** Documented payloads: accepted ones appear in the API docs; tests check all of them. */
  readonly examples: {
    readonly input: readonly z.input<I>[];
    readonly output: readonly z.input<O>[];
    readonly item: readonly z.input<S>[];
    readonly invalidInput: readonly InvalidExample[];
  };
}

export interface JobTypeDefinition<S extends Record<string, SubtypeDefinition> = Record<string, SubtypeDefinition>> {
  /** Also the BullMQ queue name: one queue per job type. */
  readonly type: string;
  readonly description: string;
  /** Used when an enqueue names no subtype; defineJobType checks it names one of `subtypes`. */
  readonly defaultSubtype?: string;
  readonly defaults: JobDefaults;
  readonly subtypes: S;
  /** Roles that may enqueue (and see, in `GET /v1/job-types`) this type. */
  readonly enqueueRoles: readonly EnqueueRole[];
  /**
   * A type for tests, demos and benchmarks: it exists only where the deployment turns development
   * types on (`ENABLE_SYNTHETIC_JOBS=true`); elsewhere the API treats it as unknown and no worker runs it.
   */
  readonly development?: boolean;
  readonly limits: {
    /** Items one job may report: checked at enqueue (subtype `itemsOf`) and enforced by the worker at run time. */
    readonly maxItems: number;
  };
}

/** Identity function that keeps the literal subtype names for the typed registry. */
export function defineJobType<const S extends Record<string, SubtypeDefinition>>(
  definition: JobTypeDefinition<S> & { readonly defaultSubtype?: keyof S & string },
): JobTypeDefinition<S> {
  jobDefaultsSchema.parse(definition.defaults);
  if (!Number.isInteger(definition.limits.maxItems) || definition.limits.maxItems < 0) {
    throw new Error(`job type ${definition.type}: limits.maxItems must be a non-negative integer`);
  }
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
