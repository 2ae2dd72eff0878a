import { Router } from "express";
import { z } from "zod";
import type { FailedJobsAnswer, QueueDepth, QueueStatsAnswer, TypeStatsAnswer } from "@jobstream/contract";
import { failedJobsNeedingAttention, queueStats, typeStats, type Db } from "@jobstream/db";
import type { Producer } from "@jobstream/queue";
import { principalOf } from "../auth/authenticate";
import { statsScopeOf } from "../auth/scope";
import { parseOr400 } from "../http/validate";

export const statsQuerySchema = z.object({ orgId: z.guid().optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict();

/** The monitoring views, scoped to the caller's org (admin) or any org (service). */
export function statsRouter(deps: { readonly db: Db; readonly producer: Producer }): Router {
  const router = Router();

  router.get("/v1/stats/queues", async (req, res) => {
    const q = parseOr400(statsQuerySchema, req.query);
    const scope = statsScopeOf(principalOf(req), q.orgId);
    const [stats, depths] = await Promise.all([
      queueStats(deps.db, scope),
      // Live depths come from BullMQ and span every org sharing the queue.
      Promise.all(
        [...deps.producer.queues].map(async ([type, queue]) => {
          const c = await queue.getJobCounts("waiting", "prioritized", "active", "delayed", "failed", "completed");
          const depth: QueueDepth = {
            type, waiting: c.waiting ?? 0, prioritized: c.prioritized ?? 0, active: c.active ?? 0,
            delayed: c.delayed ?? 0, failed: c.failed ?? 0, completed: c.completed ?? 0,
          };
          return depth;
        }),
      ).catch(() => null),
    ]);
    const answer: QueueStatsAnswer = { window: "24h", byTypeAndStatus: stats, queueDepths: depths };
    res.json(answer);
  });

  router.get("/v1/stats/failed", async (req, res) => {
    const q = parseOr400(statsQuerySchema, req.query);
    const failed = await failedJobsNeedingAttention(deps.db, statsScopeOf(principalOf(req), q.orgId), q.limit);
    const answer: FailedJobsAnswer = {
      jobs: failed.map((f) => ({
        id: f.id, type: f.type, subtype: f.subtype, name: f.name, attempts: f.attempts, maxAttempts: f.max_attempts,
        attemptsLeft: f.attempts_left, error: f.error_code === null ? null : { code: f.error_code, message: f.error_message ?? "" },
        failedAt: f.failed_at?.toISOString() ?? null,
      })),
    };
    res.json(answer);
  });

  router.get("/v1/stats/types", async (req, res) => {
    const q = parseOr400(statsQuerySchema, req.query);
    const answer: TypeStatsAnswer = { window: "7d", types: await typeStats(deps.db, statsScopeOf(principalOf(req), q.orgId)) };
    res.json(answer);
  });
  return router;
}
