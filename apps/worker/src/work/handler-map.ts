import type { JobInput, JobItemState, JobOutput, JobTypeName, SubtypeName } from "@jobstream/job-types";
import type { JobContext } from "./context";

/** A handler of one type/subtype, typed from the registry's schemas. */
export type Handler<T extends JobTypeName, S extends SubtypeName<T>> = (
  ctx: JobContext<JobInput<T, S>, JobItemState<T, S>>,
) => Promise<JobOutput<T, S>>;

/** Every registered type and subtype must have a handler: a missing one does not compile. */
export type HandlerMap = { readonly [T in JobTypeName]: { readonly [S in SubtypeName<T>]: Handler<T, S> } };

/** The handler for a resolved kind, erased to the shape the runner calls. */
export type AnyHandler = (ctx: JobContext<unknown, unknown>) => Promise<unknown>;

export function handlerFor(map: HandlerMap, type: JobTypeName, subtype: string): AnyHandler | undefined {
  const forType: Record<string, unknown> = map[type];
  const handler = Object.hasOwn(forType, subtype) ? forType[subtype] : undefined;
  return typeof handler === "function" ? (handler as AnyHandler) : undefined;
}
