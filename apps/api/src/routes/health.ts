import { Router } from "express";
import { readinessAnswer, type DependencyWatch } from "@jobstream/runtime";

/** `/healthz`: the process is alive. `/readyz`: Redis and Postgres answer and migrations are applied. */
export function healthRouter(deps: { outages: DependencyWatch }): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const answer = readinessAnswer(await deps.outages.check());
    res.status(answer.status).json(answer.body);
  });
  return router;
}
