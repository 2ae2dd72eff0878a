import { Router, type Request } from "express";
import {
  findJobViewRow,
  findJobViewWithChildren,
  listJobEvents,
  listJobItems,
  type Db,
  type JobEvent,
  type JobItem,
  type JobViewRow,
  type Queryable,
} from "@jobstream/db";
import { canAccessJob } from "../auth/access";
import { principalOf } from "../auth/authenticate";
import { ApiError } from "../http/errors";
import { parseOr400 } from "../http/validate";
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

/** One job, its items and its timeline; 404 for jobs the caller may not see. */
export function readRouter(deps: { readonly db: Db; readonly pool: Queryable }): Router {
  const router = Router();
  const load = async (req: Request): Promise<JobViewRow> => {
    const { id } = parseOr400(jobIdParamsSchema, req.params);
    const row = await findJobViewRow(deps.pool, id);
    if (!row || !canAccessJob(principalOf(req), row)) throw new ApiError("not_found", "no such job");
    return row;
  };

  router.get("/v1/jobs/:id", async (req, res) => {
    parseOr400(tokenOnlyQuerySchema, req.query);
    const { id } = parseOr400(jobIdParamsSchema, req.params);
    // The row and its children's summary in one round trip: frontends poll this endpoint.
    const found = await findJobViewWithChildren(deps.pool, id);
    const principal = principalOf(req);
    if (!found || !canAccessJob(principal, found.row)) throw new ApiError("not_found", "no such job");
    const { row, children } = found;
    const view = children === undefined ? toJobView(row) : { ...toJobView(row), children };
    // Stacks help platform staff and trusted backends; to a tenant they reveal server paths and versions.
    const operator = principal.kind === "token" && (principal.role === "operator" || principal.role === "service");
    res.json(
      operator && view.error !== null && row.errorStack !== null
        ? { ...view, error: { ...view.error, stack: row.errorStack } }
        : view,
    );
  });

  router.get("/v1/jobs/:id/items", async (req, res) => {
    const q = parseOr400(itemsQuerySchema, req.query);
    const job = await load(req);
    const { items, next } = await listJobItems(deps.db, job.id, {
      status: q.status,
      limit: q.limit,
      after: q.cursor !== undefined ? decodeItemPageCursor(q.cursor) : undefined,
    });
    res.json({ items: items.map(itemView), nextCursor: next === null ? null : encodeItemPageCursor(next) });
  });

  router.get("/v1/jobs/:id/events", async (req, res) => {
    parseOr400(tokenOnlyQuerySchema, req.query);
    const job = await load(req);
    res.json({ events: (await listJobEvents(deps.db, job.id)).map(eventView) });
  });
  return router;
}
