import { callsOf, type Calls } from "./calls.ts";
import type { Transport } from "./transport.ts";

/** What every call of a resource takes besides its arguments. */
export interface Extras {
  signal?: AbortSignal;
}

/** Query parameters of a resource's list: its filter and keyset paging. */
type Query = Record<string, string | number | undefined>;

/** The types one REST resource's answers and bodies have. */
export interface ResourceTypes {
  view: unknown;
  /** The create answer (a webhook's shows its secret once). */
  created: unknown;
  body: unknown;
  change: unknown;
  filter: object;
  page: unknown;
}

/** Create, list, read, change and delete of one resource; each API adds its own calls beside them. */
export interface ResourceCalls<T extends ResourceTypes> {
  create: (body: T["body"], extras?: Extras) => Promise<T["created"]>;
  /** One page (follow `nextCursor` for more). */
  list: (filter?: T["filter"], extras?: Extras) => Promise<T["page"]>;
  get: (id: string, extras?: Extras) => Promise<T["view"]>;
  update: (id: string, change: T["change"], extras?: Extras) => Promise<T["view"]>;
  delete: (id: string, extras?: Extras) => Promise<void>;
}

/** A resource's shared calls, and what its own calls are made of. */
export interface Resource<T extends ResourceTypes> extends Calls {
  calls: ResourceCalls<T>;
  /** `base/<id><suffix>`, the id encoded. */
  path: (id: string, suffix?: string) => string;
  /** The object an answer wraps in the resource's key. */
  one: (answer: unknown) => unknown;
}

/**
 * A REST resource under `base` (`v1/schedules`) whose answers wrap one object in `key`
 * (`{ "schedule": … }`): its paths, that unwrapping and the resend rule of each call are decided
 * here. A create is never resent after a lost answer (no idempotency key: it could make two);
 * `resendChanges` says whether a PATCH or DELETE may be.
 */
export function resourceOf<T extends ResourceTypes>(
  transport: Transport,
  options: { base: string; key: string; resendChanges: boolean },
): Resource<T> {
  const { base, key, resendChanges: resend } = options;
  const { read, send } = callsOf(transport);
  const path = (id: string, suffix = "") => `${base}/${encodeURIComponent(id)}${suffix}`;
  const one = (answer: unknown) => (answer as Record<string, unknown>)[key];
  const calls: ResourceCalls<T> = {
    create: async (body, extras = {}) =>
      one(await send("POST", base, { body, resend: false, signal: extras.signal })) as T["created"],
    // A filter is a plain object of strings and numbers (its interface only lacks the index signature).
    list: async (filter = {}, extras = {}) => (await read(base, { ...filter } as Query, extras.signal)) as T["page"],
    get: async (id, extras = {}) => one(await read(path(id), undefined, extras.signal)) as T["view"],
    update: async (id, change, extras = {}) =>
      one(await send("PATCH", path(id), { body: change, resend, signal: extras.signal })) as T["view"],
    delete: async (id, extras = {}) => {
      await send("DELETE", path(id), { resend, signal: extras.signal });
    },
  };
  return { calls, read, send, path, one };
}
