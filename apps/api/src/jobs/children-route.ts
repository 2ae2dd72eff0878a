import { Router } from "express";
import { findJobViewRow, listJobs, summarizeChildren } from "@jobstream/db";
import { canAccessJob } from "../auth/access";
import { principalOf } from "../auth/authenticate";
import { scopeOf } from "../auth/scope";
import { ApiError } from "../http/errors";
import { parseOr400 } from "../http/validate";
import type { ReadRouting } from "../replica/read-routing";
import { decodeJobCursor, encodeJobCursor } from "./cursor";
import { toJobSummary } from "./job-view";
import { childrenQuerySchema, jobIdParamsSchema } from "./schemas";

/**
 * `GET /v1/jobs/:id/children`: a job's sub-jobs as summaries, in keyset pages like `GET /v1/jobs`.
 * The parent must be the caller's to read (404 otherwise), and each child is listed only if the
 * caller's scope covers it too. A child with sub-jobs of its own carries their summary.
 */
export function childrenRouter(deps: { readonly reads: ReadRouting }): Router {
  const router = Router();
  router.get("/v1/jobs/:id/children", async (req, res) => {
    const { id } = parseOr400(jobIdParamsSchema, req.params);
    const q = parseOr400(childrenQuerySchema, req.query);
    const principal = principalOf(req);
    const scope = scopeOf(principal);
    const after = q.cursor !== undefined ? decodeJobCursor(q.cursor) : undefined;
    // A parent the replica does not have yet is looked up on the primary before answering 404.
    const read = await deps.reads.read(
      req,
      async (r) => {
        const parent = await findJobViewRow(r.pool, id);
        if (!parent || !canAccessJob(principal, parent)) return null;
        const page = await listJobs(r.pool, scope, { parentId: id, statuses: q.status }, { limit: q.limit, after });
        // Sub-jobs with sub-jobs of their own say so (one query for the page): a flow tree nests them.
        const nested = await summarizeChildren(
          r.pool,
          page.jobs.map((j) => j.id),
        );
        return { page, nested };
      },
      (result) => result === null,
    );
    if (read === null) throw new ApiError("not_found", "no such job");
    const { page, nested } = read;
    const jobs = page.jobs.map((j) => {
      const summary = nested.get(j.id);
      return summary === undefined ? toJobSummary(j) : { ...toJobSummary(j), children: summary };
    });
    res.json({ jobs, nextCursor: page.next ? encodeJobCursor(page.next) : null });
  });
  return router;
}
