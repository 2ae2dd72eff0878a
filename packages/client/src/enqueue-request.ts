import type { DefaultSubtypes, JobInputs, JobOutputs, JsonValue } from "./generated/types.ts";

export type JobTypeName = keyof JobInputs;
export type SubtypeName<T extends JobTypeName> = keyof JobInputs[T] & string;
/** What `input` of a type/subtype accepts (the registry schema's input side: defaults optional). */
export type JobInput<T extends JobTypeName, S extends SubtypeName<T>> = JobInputs[T][S];
export type JobOutput<T extends JobTypeName, S extends keyof JobOutputs[T]> = JobOutputs[T][S];

/**
 * Per-job options of `POST /v1/jobs` besides type, subtype and input.
 * (Mirrors the API's enqueue body; it lives in apps/api, not yet in the contract.)
 */
export interface EnqueueOptions {
  /** Human label; defaults to "<type>/<subtype>". */
  name?: string;
  /** 0–100, higher runs first. */
  priority?: number;
  /** ISO date-time to run at (not with `delayMs`). */
  runAt?: string;
  delayMs?: number;
  maxAttempts?: number;
  backoff?: { type: "fixed" | "exponential"; delayMs: number };
  timeoutMs?: number;
  /**
   * The same key (and body) returns the existing job instead of a new one. The client generates
   * one when none is given, so its own retries never make two jobs.
   */
  idempotencyKey?: string;
  parentId?: string;
  groupId?: string;
  metadata?: Record<string, JsonValue>;
  expiresInSeconds?: number;
  /** Service tokens only: the org the job is created for. */
  orgId?: string;
  /** Service tokens only: the user the job is created for. */
  userId?: string;
  /**
   * Sub-jobs: this job waits (`waiting_children`) until each is final, then runs. They inherit org,
   * user and group, and take no `idempotencyKey`, `parentId`, `groupId`, `orgId` or `userId` of their
   * own; at most 1,000 jobs per request, all levels counted.
   */
  children?: readonly EnqueueRequest[];
  /** What a failed sub-job means: `fail` (default) fails this job with `child_failed`; `ignore` runs it anyway. */
  onChildFailure?: "fail" | "ignore";
}

/** The subtype an enqueue of `T` gets when it names none (`never` for a type without a default). */
export type DefaultSubtypeOf<T extends JobTypeName> = T extends keyof DefaultSubtypes
  ? DefaultSubtypes[T] & SubtypeName<T>
  : never;

/**
 * One job of type `T`, subtype `S` (optional for the type's default subtype), with `input` typed by
 * the job-type registry, so a wrong input is a compile error naming the field.
 */
export type TypedEnqueueRequest<T extends JobTypeName, S extends SubtypeName<T> = DefaultSubtypeOf<T>> = {
  type: T;
  subtype?: S;
  input: JobInput<T, S>;
} & EnqueueOptions;

/** Any job of any registered type/subtype (what `enqueueBatch` takes). */
export type EnqueueRequest = {
  [T in JobTypeName]: { [S in SubtypeName<T>]: TypedEnqueueRequest<T, S> }[SubtypeName<T>];
}[JobTypeName];

/** A job whose type and input are known only at run time (a CLI, a proxy); the API validates it. */
export type UncheckedEnqueueRequest = { type: string; subtype?: string; input: unknown } & Omit<
  EnqueueOptions,
  "children"
> & { children?: readonly UncheckedEnqueueRequest[] };
