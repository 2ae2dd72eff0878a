import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import { Router, type RequestHandler } from "express";
import type { Producer } from "@jobstream/queue";
import { principalOf } from "../auth/authenticate";
import { ApiError } from "../http/errors";

export const BULL_BOARD_PATH = "/admin/queues";

/** bull-board shows and changes every org's Redis state: platform operators only. */
export const requireOperator: RequestHandler = (req, _res, next) => {
  const principal = principalOf(req);
  if (principal.kind !== "token" || principal.role !== "operator") throw new ApiError("forbidden", "bull-board is for operator tokens");
  next();
};

/** bull-board over every queue of the registry, mounted at /admin/queues. */
export function bullBoardRouter(producer: Producer): Router {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(BULL_BOARD_PATH);
  createBullBoard({ queues: [...producer.queues.values()].map((queue) => new BullMQAdapter(queue)), serverAdapter: adapter });
  const router = Router();
  router.use(BULL_BOARD_PATH, adapter.getRouter() as Router);
  return router;
}
