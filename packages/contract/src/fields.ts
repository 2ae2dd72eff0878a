import { z } from "zod";

/** Every instant on the wire: ISO 8601, as Postgres timestamps are serialised. */
export const isoDate = z.iso.datetime();

/** When a stored row (schedule, webhook, delivery) was created and last changed. */
export const rowTimes = { createdAt: isoDate, updatedAt: isoDate };

/** Counters are whole numbers: one integer field per name, in the order given. */
export function countsOf<const K extends string>(names: readonly K[]): Record<K, z.ZodNumber> {
  return Object.fromEntries(names.map((name) => [name, z.number().int()])) as Record<K, z.ZodNumber>;
}

/**
 * An object schema that the OpenAPI document and the generated client know by `id` (one named
 * component, referenced wherever it is used, instead of the same fields inlined again).
 */
export function named<S extends z.ZodRawShape>(id: string, shape: S) {
  return z.object(shape).meta({ id });
}
