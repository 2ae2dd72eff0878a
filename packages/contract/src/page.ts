import { z } from "zod";

/**
 * A page of a cursor-paginated list (`GET /v1/jobs`, a job's items, the mirror's dead letters): the
 * entries under `key`, and the cursor of the next page, null on the last one.
 */
export function cursorPage<K extends string, T extends z.ZodType>(key: K, entry: T) {
  const shape = { [key]: z.array(entry), nextCursor: z.string().nullable() };
  return z.object(shape as Record<K, z.ZodArray<T>> & { nextCursor: z.ZodNullable<z.ZodString> });
}
