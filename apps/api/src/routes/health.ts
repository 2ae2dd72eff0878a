import { Router } from "express";
import { checkReadiness, readinessAnswer, type Redis } from "@jobstream/runtime";
import type { Db } from "@jobstream/db";

/** `/healthz`: the process is alive. `/readyz`: Redis and Postgres answer and migrations are applied. */
export function healthRouter(deps: { db: Db; redis: Redis }): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const answer = readinessAnswer(await checkReadiness(deps));
    res.status(answer.status).json(answer.body);
  });
  return router;
}
