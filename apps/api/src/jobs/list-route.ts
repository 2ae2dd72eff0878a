import { Router } from "express";
import { listActiveJobViewRows, listJobs, type Db, type Queryable } from "@jobstream/db";
import { principalOf } from "../auth/authenticate";
import { scopeOf } from "../auth/scope";
import { parseOr400 } from "../http/validate";
import { decodeJobCursor, encodeJobCursor } from "./cursor";
import { toJobView } from "./job-view";
import { activeQuerySchema, listQuerySchema } from "./schemas";

/** `GET /v1/jobs` (filters, keyset pages) and `GET /v1/jobs/active` (the "active jobs" widget). */
export function listRouter(deps: { readonly db: Db; readonly pool: Queryable }): Router {
  const router = Router();

  router.get("/v1/jobs", async (req, res) => {
    const q = parseOr400(listQuerySchema, req.query);
    const scope = scopeOf(principalOf(req), q.orgId);
    const { jobs, next } = await listJobs(
      deps.db,
      scope,
      {
        statuses: q.status, type: q.type, subtype: q.subtype, userId: q.userId, groupId: q.groupId, parentId: q.parentId,
        createdFrom: q.createdFrom !== undefined ? new Date(q.createdFrom) : undefined,
        createdTo: q.createdTo !== undefined ? new Date(q.createdTo) : undefined,
        search: q.q,
      },
      { limit: q.limit, after: q.cursor !== undefined ? decodeJobCursor(q.cursor) : undefined },
    );
    res.json({ jobs: jobs.map(toJobView), nextCursor: next ? encodeJobCursor(next) : null });
  });

  router.get("/v1/jobs/active", async (req, res) => {
    const q = parseOr400(activeQuerySchema, req.query);
    const jobs = await listActiveJobViewRows(deps.pool, scopeOf(principalOf(req), q.orgId), q);
    res.json({ jobs: jobs.map(toJobView), running: jobs.filter((j) => j.status === "running").length });
  });
  return router;
}
