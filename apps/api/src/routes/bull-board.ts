import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import { Router, type RequestHandler } from "express";
import { principalOf } from "../auth/authenticate";
import { ApiError } from "../http/errors";
import type { ActionDeps } from "@jobstream/queue";
import { bullBoardGuard } from "./bull-board-guard";

export const BULL_BOARD_PATH = "/admin/queues";

/** bull-board shows and changes every org's Redis state: platform operators only. */
export const requireOperator: RequestHandler = (req, _res, next) => {
  const principal = principalOf(req);
  if (principal.kind !== "token" || principal.role !== "operator")
    throw new ApiError("forbidden", "bull-board is for operator tokens");
  next();
};

/**
 * bull-board over every queue of the registry, mounted at /admin/queues, behind a guard that
 * refuses the actions Postgres could not follow and records the kept ones (bull-board-guard.ts).
 */
export function bullBoardRouter(deps: ActionDeps): Router {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(BULL_BOARD_PATH);
  // Completed jobs are not run twice: the base adapter hides that retry button when told so (its
  // BullMQ subclass's option type omits the flag, the constructor passes it on); the guard refuses it too.
  const options = { allowCompletedRetries: false } as Partial<ConstructorParameters<typeof BullMQAdapter>[1]>;
  const queues = [...deps.producer.queues.values()].map((queue) => new BullMQAdapter(queue, options));
  createBullBoard({ queues, serverAdapter: adapter });
  const router = Router();
  router.use(BULL_BOARD_PATH, bullBoardGuard(deps));
  router.use(BULL_BOARD_PATH, adapter.getRouter() as Router);
  return router;
}
