import { Router } from "express";
import { readGroupView } from "@jobstream/db";
import { ApiError } from "../http/errors";
import type { ActionDeps } from "@jobstream/queue";
import type { ReadRouting } from "../replica/read-routing";
import { cancelGroup, retryGroup, type GroupActionOutcome } from "./group-actions";
import { groupRequestOf, visibleGroup } from "./group-scope";

/** `GET /v1/groups/:groupId` and the group actions `POST /v1/groups/:groupId/cancel` and `/retry`. */
export function groupsRouter(deps: ActionDeps & { readonly reads: ReadRouting }): Router {
  const router = Router();

  router.get("/v1/groups/:groupId", async (req, res) => {
    const request = groupRequestOf(req);
    // A group nobody of this caller's has on the replica yet is looked up on the primary before a 404.
    const group = await deps.reads.read(
      req,
      (r) => readGroupView(r.pool, request.groupId, request.scope),
      (view) => view === null,
    );
    if (group === null) throw new ApiError("not_found", "no such group");
    res.json({ group });
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
