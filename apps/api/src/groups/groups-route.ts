import { Router } from "express";
import type { ActionDeps } from "../jobs/job-actions";
import { cancelGroup, retryGroup } from "./group-actions";
import { groupRequestOf, visibleGroup } from "./group-scope";

/** `GET /v1/groups/:groupId` and the group actions `POST /v1/groups/:groupId/cancel` and `/retry`. */
export function groupsRouter(deps: ActionDeps): Router {
  const router = Router();

  router.get("/v1/groups/:groupId", async (req, res) => {
    const request = groupRequestOf(req);
    res.json({ group: await visibleGroup(deps.pool, request) });
  });

  router.post("/v1/groups/:groupId/cancel", async (req, res) => {
    const request = groupRequestOf(req);
    await visibleGroup(deps.pool, request);
    const outcome = await cancelGroup(deps, request.groupId, request.scope);
    const group = await visibleGroup(deps.pool, request);
    res.status(outcome.stopping > 0 ? 202 : 200).json({ group, ...outcome });
  });

  router.post("/v1/groups/:groupId/retry", async (req, res) => {
    const request = groupRequestOf(req);
    await visibleGroup(deps.pool, request);
    const outcome = await retryGroup(deps, request.groupId, request.scope);
    const group = await visibleGroup(deps.pool, request);
    res.status(outcome.done > 0 ? 202 : 200).json({ group, ...outcome });
  });
  return router;
}
