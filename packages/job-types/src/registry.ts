import type { z } from "zod";
import type { EnqueueRole, JobTypeDefinition, SubtypeDefinition } from "./define-job-type";
import { bulk } from "./types/bulk";
import { importJobType } from "./types/import";
import { maintenance } from "./types/maintenance";
import { synthetic } from "./types/synthetic";

/** Every job type Jobstream knows; the single source of truth for API, worker and SDK. */
export const jobTypes = {
  synthetic,
  import: importJobType,
  maintenance,
  bulk,
} as const;

export type JobRegistry = typeof jobTypes;
export type JobTypeName = keyof JobRegistry;
export type SubtypeName<T extends JobTypeName> = keyof JobRegistry[T]["subtypes"] & string;
type SubtypeOf<T extends JobTypeName, S extends SubtypeName<T>> = JobRegistry[T]["subtypes"][S] & SubtypeDefinition;

/** Parsed (defaults applied) input of a type/subtype. */
export type JobInput<T extends JobTypeName, S extends SubtypeName<T>> = z.output<SubtypeOf<T, S>["input"]>;
export type JobOutput<T extends JobTypeName, S extends SubtypeName<T>> = z.output<SubtypeOf<T, S>["output"]>;
export type JobItemState<T extends JobTypeName, S extends SubtypeName<T>> = z.output<SubtypeOf<T, S>["item"]>;

export const jobTypeNames = Object.keys(jobTypes) as JobTypeName[];

export function isJobTypeName(value: string): value is JobTypeName {
  return Object.hasOwn(jobTypes, value);
}

/** Which types exist for a caller: development types only where enabled, others by enqueue role. */
export interface JobTypeAudience {
  /** The caller's role; `null` for Jobstream's own processes (the housekeeper), which see every type. */
  readonly role: EnqueueRole | null;
  /** `ENABLE_SYNTHETIC_JOBS`: whether development types (synthetic) exist in this deployment. */
  readonly developmentTypes: boolean;
}

/** Whether a type exists for this audience. A type that does not is unknown to it, never "forbidden". */
export function isJobTypeOpenTo(definition: JobTypeDefinition, audience: JobTypeAudience): boolean {
  if (definition.development === true && !audience.developmentTypes) return false;
  return audience.role === null || definition.enqueueRoles.includes(audience.role);
}

/** Names of the types a deployment runs (workers start one queue worker per name). */
export function enabledJobTypeNames(developmentTypes: boolean): JobTypeName[] {
  return jobTypeNames.filter((name) => developmentTypes || jobTypes[name].development !== true);
}

export interface ResolvedJobKind {
  readonly definition: JobTypeDefinition;
  readonly type: JobTypeName;
  readonly subtype: string;
  readonly spec: SubtypeDefinition;
}

export type ResolveResult =
  | { readonly ok: true; readonly kind: ResolvedJobKind }
  | { readonly ok: false; readonly field: "type" | "subtype"; readonly message: string };

/**
 * Finds a type and subtype by name; a missing subtype falls back to the type's default. With an
 * audience, types not open to it answer exactly like names that do not exist (and are not listed
 * as known), so a caller learns nothing about types it may not use.
 */
export function resolveJobKind(type: string, subtype?: string | null, audience?: JobTypeAudience): ResolveResult {
  const open = (name: JobTypeName) => audience === undefined || isJobTypeOpenTo(jobTypes[name], audience);
  if (!isJobTypeName(type) || !open(type)) {
    const known = jobTypeNames.filter(open).join(", ");
    return { ok: false, field: "type", message: `unknown job type "${type}"; known: ${known}` };
  }
  const definition: JobTypeDefinition = jobTypes[type];
  const name = subtype ?? definition.defaultSubtype;
  if (name === undefined) {
    return { ok: false, field: "subtype", message: `job type "${type}" needs a subtype` };
  }
  const spec = Object.hasOwn(definition.subtypes, name) ? definition.subtypes[name] : undefined;
  if (spec === undefined) {
    const known = Object.keys(definition.subtypes).join(", ");
    return { ok: false, field: "subtype", message: `unknown subtype "${name}" of "${type}"; known: ${known}` };
  }
  return { ok: true, kind: { definition, type, subtype: name, spec } };
}

/** Every type/subtype pair, in registry order. */
export function listJobKinds(): ResolvedJobKind[] {
  const definitions: readonly JobTypeDefinition[] = Object.values(jobTypes);
  return definitions.flatMap((definition) =>
    Object.entries(definition.subtypes).map(([subtype, spec]) => ({
      definition,
      type: definition.type as JobTypeName,
      subtype,
      spec,
    })),
  );
}
