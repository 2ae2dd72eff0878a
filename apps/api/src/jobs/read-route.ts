import { Router, type Request } from "express";
import {
  findJobViewRow,
  findJobViewWithChildren,
  listJobEvents,
  listJobItems,
  type JobEvent,
  type JobItem,
  type JobViewRow,
} from "@jobstream/db";
import { canAccessJob } from "../auth/access";
import { principalOf } from "../auth/authenticate";
import { ApiError } from "../http/errors";
import { parseOr400 } from "../http/validate";
import type { Principal } from "../auth/principal";
import { CONSISTENCY_HEADER } from "../replica/consistency";
import type { ReadCaller, Reader, ReadRouting } from "../replica/read-routing";
import { decodeItemPageCursor, encodeItemPageCursor } from "./cursor";
import { toJobView } from "./job-view";
import { itemsQuerySchema, jobIdParamsSchema, tokenOnlyQuerySchema } from "./schemas";

/** Paths an anonymous caller may read with the job's access token (relative to /v1). */
export const JOB_TOKEN_PATHS = /^\/jobs\/[^/]+(\/(items|events|stream))?\/?$/;

function itemView(item: JobItem) {
  return {
    ref: item.ref,
    status: item.status,
    message: item.message,
    errorCode: item.errorCode,
    before: item.beforeState,
    after: item.afterState,
    attempt: item.attempt,
    processedAt: item.processedAt?.toISOString() ?? null,
  };
}

function eventView(event: JobEvent) {
  return { type: event.type, data: event.data, at: event.createdAt.toISOString() };
}

/**
 * The answer of `GET /v1/jobs/:id`: the job and its children's summary, or null when there is no
 * such job or the caller may not see it. Shared by the route below and the lean path (hot-read.ts).
 */
export async function readJobView(reads: ReadRouting, caller: ReadCaller & { principal: Principal }, id: string) {
  const { principal } = caller;
  // The row and its children's summary in one round trip (frontends poll this endpoint); as in
  // `load`, a job the replica does not have yet is read on the primary before answering 404.
  const found = await reads.readFor(
    caller,
    async (r) => {
      const job = await findJobViewWithChildren(r.pool, id);
      return job && canAccessJob(principal, job.row) ? job : null;
    },
    (result) => result === null,
  );
  if (found === null) return null;
  const { row, children } = found;
  const view = children === undefined ? toJobView(row) : { ...toJobView(row), children };
  // Stacks help platform staff and trusted backends; to a tenant they reveal server paths and versions.
  const operator = principal.kind === "token" && (principal.role === "operator" || principal.role === "service");
  return operator && view.error !== null && row.errorStack !== null
    ? { ...view, error: { ...view.error, stack: row.errorStack } }
    : view;
}

/** One job, its items and its timeline; 404 for jobs the caller may not see. */
export function readRouter(deps: { readonly reads: ReadRouting }): Router {
  const router = Router();
  /**
   * The job and what `then` reads of it, on one reader: a job the replica does not have yet (just
   * enqueued, by another caller than this one) is read on the primary before answering 404.
   */
  const load = async <T>(req: Request, then: (r: Reader, row: JobViewRow) => Promise<T>): Promise<T> => {
    const { id } = parseOr400(jobIdParamsSchema, req.params);
    const principal = principalOf(req);
    const found = await deps.reads.read(
      req,
      async (r) => {
        const row = await findJobViewRow(r.pool, id);
        return row && canAccessJob(principal, row) ? { row, extra: await then(r, row) } : null;
      },
      (result) => result === null,
    );
    if (found === null) throw new ApiError("not_found", "no such job");
    return found.extra;
  };

  router.get("/v1/jobs/:id", async (req, res) => {
    parseOr400(tokenOnlyQuerySchema, req.query);
    const { id } = parseOr400(jobIdParamsSchema, req.params);
    const principal = principalOf(req);
    const view = await readJobView(deps.reads, { principal, consistency: req.get(CONSISTENCY_HEADER) }, id);
    if (view === null) throw new ApiError("not_found", "no such job");
    res.json(view);
  });

  router.get("/v1/jobs/:id/items", async (req, res) => {
    const q = parseOr400(itemsQuerySchema, req.query);
    const { items, next } = await load(req, (r, job) =>
      listJobItems(r.db, job.id, {
        status: q.status,
        limit: q.limit,
        after: q.cursor !== undefined ? decodeItemPageCursor(q.cursor) : undefined,
      }),
    );
    res.json({ items: items.map(itemView), nextCursor: next === null ? null : encodeItemPageCursor(next) });
  });

  router.get("/v1/jobs/:id/events", async (req, res) => {
    parseOr400(tokenOnlyQuerySchema, req.query);
    const events = await load(req, (r, job) => listJobEvents(r.db, job));
    res.json({ events: events.map(eventView) });
  });
  return router;
}
