import { Router } from "express";
import { readinessAnswer, type DependencyWatch } from "@jobstream/runtime";
import type { ReadRouting } from "../replica/read-routing";

/**
 * `/healthz`: the process is alive. `/readyz`: Redis and Postgres answer and migrations are
 * applied. With a read replica it also reports the replica (`checks.replica`: ok, lagging, down;
 * `replica.lagMs`, `replica.lagBytes`) without failing on it: its reads go to the primary meanwhile.
 */
export function healthRouter(deps: { outages: DependencyWatch; reads: ReadRouting }): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const answer = readinessAnswer(await deps.outages.check());
    const monitor = deps.reads.monitor;
    if (monitor === undefined) {
      res.status(answer.status).json(answer.body);
      return;
    }
    const body = answer.body as { checks: Record<string, string> };
    const { status, lagMs, lagBytes } = monitor.health;
    res.status(answer.status).json({
      ...body,
      checks: { ...body.checks, replica: status },
      replica: { status, lagMs, lagBytes, lagSeconds: lagMs === null ? null : lagMs / 1000 },
    });
  });
  return router;
}
