import { Router } from "express";
import type { ActionDeps } from "@jobstream/queue";
import { cancelGroup, retryGroup, type GroupActionOutcome } from "./group-actions";
import { groupRequestOf, visibleGroup } from "./group-scope";

/** `GET /v1/groups/:groupId` and the group actions `POST /v1/groups/:groupId/cancel` and `/retry`. */
export function groupsRouter(deps: ActionDeps): Router {
  const router = Router();

  router.get("/v1/groups/:groupId", async (req, res) => {
    const request = groupRequestOf(req);
    res.json({ group: await visibleGroup(deps.pool, request) });
  });

  // 202 when work goes on after the answer: running jobs stopping, retried jobs queued again.
  const actions = [
    ["cancel", cancelGroup, (outcome: GroupActionOutcome) => outcome.stopping > 0],
    ["retry", retryGroup, (outcome: GroupActionOutcome) => outcome.done > 0],
  ] as const;
  for (const [action, run, continues] of actions) {
    router.post(`/v1/groups/:groupId/${action}`, async (req, res) => {
      const request = groupRequestOf(req);
      await visibleGroup(deps.pool, request);
      const outcome = await run(deps, request.groupId, request.scope);
      const group = await visibleGroup(deps.pool, request);
      res.status(continues(outcome) ? 202 : 200).json({ group, ...outcome });
    });
  }
  return router;
}
