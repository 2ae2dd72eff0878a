import { Router } from "express";
import { z } from "zod";
import { failedJobsNeedingAttention, listQueueStates, queueStats, typeStats, type Db, type Queryable } from "@jobstream/db";
import type { Producer } from "@jobstream/queue";
import { principalOf } from "../auth/authenticate";
import { statsScopeOf } from "../auth/scope";
import { parseOr400 } from "../http/validate";

const statsQuery = z.object({ orgId: z.guid().optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict();

/** The monitoring views, scoped to the caller's org (admin) or any org (service). */
export function statsRouter(deps: { readonly db: Db; readonly pool: Queryable; readonly producer: Producer }): Router {
  const router = Router();

  router.get("/v1/stats/queues", async (req, res) => {
    const q = parseOr400(statsQuery, req.query);
    const scope = statsScopeOf(principalOf(req), q.orgId);
    const [stats, states, depths] = await Promise.all([
      queueStats(deps.db, scope),
      // Pauses operators took (bull-board), as Postgres recorded them; a queue without a row runs.
      listQueueStates(deps.pool),
      // Live depths come from BullMQ and span every org sharing the queue.
      Promise.all(
        [...deps.producer.queues].map(async ([type, queue]) => ({
          type,
          ...(await queue.getJobCounts("waiting", "prioritized", "active", "delayed", "failed", "completed")),
        })),
      ).catch(() => null),
    ]);
    const paused = new Map(states.map((s) => [s.queue, s]));
    const queueStates = [...deps.producer.queues.keys()].map((queue) => ({
      queue, paused: paused.get(queue)?.paused ?? false, changedAt: paused.get(queue)?.changedAt.toISOString() ?? null,
    }));
    res.json({ window: "24h", byTypeAndStatus: stats, queueDepths: depths, queueStates });
  });

  router.get("/v1/stats/failed", async (req, res) => {
    const q = parseOr400(statsQuery, req.query);
    const failed = await failedJobsNeedingAttention(deps.db, statsScopeOf(principalOf(req), q.orgId), q.limit);
    res.json({
      jobs: failed.map((f) => ({
        id: f.id, type: f.type, subtype: f.subtype, name: f.name, attempts: f.attempts, maxAttempts: f.max_attempts,
        attemptsLeft: f.attempts_left, error: f.error_code === null ? null : { code: f.error_code, message: f.error_message ?? "" },
        failedAt: f.failed_at?.toISOString() ?? null,
      })),
    });
  });

  router.get("/v1/stats/types", async (req, res) => {
    const q = parseOr400(statsQuery, req.query);
    res.json({ window: "7d", types: await typeStats(deps.db, statsScopeOf(principalOf(req), q.orgId)) });
  });
  return router;
}
