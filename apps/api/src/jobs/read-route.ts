import { Router } from "express";
import type { Db } from "@jobstream/db";
import { canAccessJob } from "../auth/access";
import { principalOf } from "../auth/authenticate";
import { ApiError } from "../http/errors";
import { parseOr400 } from "../http/validate";
import { toJobView } from "./job-view";
import { jobIdParamsSchema } from "./schemas";

/** `GET /v1/jobs/:id`: the view producers and frontends poll. */
export function readRouter(deps: { readonly db: Db }): Router {
  const router = Router();
  router.get("/v1/jobs/:id", async (req, res) => {
    const { id } = parseOr400(jobIdParamsSchema, req.params);
    const row = await deps.db.job.findUnique({ where: { id } });
    if (!row || !canAccessJob(principalOf(req), row)) throw new ApiError("not_found", "no such job");
    res.json(toJobView(row));
  });
  return router;
}
