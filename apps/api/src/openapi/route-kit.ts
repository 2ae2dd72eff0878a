import type { RouteConfig } from "@asteasolutions/zod-to-openapi";
import { z, type ZodObject } from "zod";
import { errorBodySchema, errorStatus, type ErrorCode } from "@jobstream/contract";

/** A JSON answer or body with its description. */
export const json = <S extends z.ZodType>(schema: S, description: string) => ({
  description,
  content: { "application/json": { schema } },
});

/** A Server-Sent Events answer. */
export const sse = (what: string) => ({
  description: what,
  content: { "text/event-stream": { schema: z.string() } },
});

/** The error answers of an operation, one per HTTP status (several codes may share one, e.g. 409). */
export function errors(...codes: ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(errorStatus[code], [...(byStatus.get(errorStatus[code]) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, names]) => [status, json(errorBodySchema, names.map((n) => `\`${n}\``).join(", "))]),
  );
}

type Security = NonNullable<RouteConfig["security"]>;
export const bearer: Security = [{ bearer: [] }];
/** Reads of one job also accept that job's access token. */
export const bearerOrJobToken: Security = [{ bearer: [] }, { jobToken: [] }];
/** Public routes: no credentials (`security: []` overrides none, and says so explicitly). */
export const open: Security = [];
/** Any route answers 400 to a body that is not JSON (the body parser runs before routing). */
export const badBody = errors("validation_failed");

/** A documented GET: who may call it (`security`) and how a caller may be refused besides a bad request. */
export interface Read {
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  security: Security;
  request: NonNullable<RouteConfig["request"]>;
  answer: ReturnType<typeof json> | ReturnType<typeof sse>;
  /** Error codes between `unauthorized` and `rate_limited` (every read answers those and `validation_failed`). */
  refusals: ErrorCode[];
}

export function readRoute({ path, operationId, tag, summary, description, security, request, answer, refusals }: Read) {
  return {
    method: "get",
    path,
    operationId,
    tags: [tag],
    summary,
    ...(description === undefined ? {} : { description }),
    security,
    request,
    responses: { 200: answer, ...errors("validation_failed", "unauthorized", ...refusals, "rate_limited") },
  } satisfies RouteConfig;
}

/** What a kind of read leaves to each route (its kind decides who may call it and how it refuses). */
export type ReadOf<Extra> = Omit<Read, "tag" | "security" | "request" | "refusals"> & { tag?: string } & Extra;

/**
 * A list any bearer may read (it shows what the caller may see, so it never refuses beyond the
 * token): `query` holds its filters and keyset paging.
 */
export function listRoute({ query, ...read }: Omit<Read, "security" | "request" | "refusals"> & { query: ZodObject }) {
  return readRoute({ ...read, security: bearer, request: { query }, refusals: [] });
}
