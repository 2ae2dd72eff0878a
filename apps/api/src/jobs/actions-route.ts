import { Router } from "express";
import { findJobById, type Job } from "@jobstream/db";
import { announceChanges } from "@jobstream/queue";
import { canActOnJob } from "../auth/access";
import { principalOf } from "../auth/authenticate";
import { ApiError } from "../http/errors";
import { parseOr400 } from "../http/validate";
import { cancelJob, retryJob, type ActionDeps } from "@jobstream/queue";
import { toJobView } from "./job-view";
import { jobIdParamsSchema } from "./schemas";

export type { ActionDeps } from "@jobstream/queue";

export function actionsRouter(deps: ActionDeps): Router {
  const router = Router();

  const load = async (id: string, req: Parameters<typeof principalOf>[0]): Promise<Job> => {
    const row = await findJobById(deps.db, id);
    if (!row || !canActOnJob(principalOf(req), row)) throw new ApiError("not_found", "no such job");
    return row;
  };
  const view = async (id: string) => {
    await announceChanges(deps.redis, deps.prefix, [id]);
    const row = await findJobById(deps.db, id);
    if (!row) throw new ApiError("not_found", "no such job");
    return { job: toJobView(row) };
  };

  router.post("/v1/jobs/:id/cancel", async (req, res) => {
    const { id } = parseOr400(jobIdParamsSchema, req.params);
    const row = await load(id, req);
    const outcome = await cancelJob(deps, row, "api");
    res.status(outcome === "done" ? 200 : 202).json(await view(id));
  });

  router.post("/v1/jobs/:id/retry", async (req, res) => {
    const { id } = parseOr400(jobIdParamsSchema, req.params);
    const row = await load(id, req);
    await retryJob(deps, row, "api");
    res.status(202).json(await view(id));
  });
  return router;
}
