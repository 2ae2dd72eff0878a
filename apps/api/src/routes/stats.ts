import { Router } from "express";
import { z } from "zod";
import type { FailedJobsAnswer, QueueDepth, QueueStatsAnswer, TypeStatsAnswer } from "@jobstream/contract";
import {
  failedJobsNeedingAttention,
  listQueueStates,
  queueStats,
  typeStats,
  unfinishedJobCounts,
  type Db,
  type QueueStat,
} from "@jobstream/db";
import type { Producer } from "@jobstream/queue";
import { principalOf } from "../auth/authenticate";
import { statsScopeOf } from "../auth/scope";
import { parseOr400 } from "../http/validate";
import { liveCounts } from "../queues/queue-counts";
import type { ReadRouting } from "../replica/read-routing";

export const statsQuerySchema = z
  .object({ orgId: z.guid().optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) })
  .strict();

type Depth = QueueDepth;

/** Live depths of every org, from BullMQ (null while Redis does not answer). */
function globalDepths(producer: Producer): Promise<Depth[] | null> {
  return Promise.all([...producer.queues].map(async ([type, queue]) => ({ type, ...(await liveCounts(queue)) }))).catch(
    () => null,
  );
}

/**
 * One org's depths in the same shape, from Postgres: unfinished jobs now (waiting counts pending,
 * queued and waiting-for-children jobs; prioritized ones are among them), finished ones over the window.
 */
async function orgDepths(
  db: Db,
  orgId: string,
  types: readonly string[],
  window: readonly QueueStat[],
): Promise<Depth[]> {
  const counts = await unfinishedJobCounts(db, orgId);
  const count = (type: string, statuses: readonly string[]) =>
    counts.filter((c) => c.type === type && statuses.includes(c.status)).reduce((n, c) => n + c.jobs, 0);
  const finished = (type: string, status: string) =>
    window.filter((s) => s.type === type && s.status === status).reduce((n, s) => n + s.jobs, 0);
  return types.map((type) => ({
    type,
    waiting: count(type, ["pending", "queued", "waiting_children"]),
    prioritized: 0,
    active: count(type, ["running"]),
    delayed: count(type, ["delayed"]),
    failed: finished(type, "failed"),
    completed: finished(type, "completed"),
  }));
}

/** The monitoring views, scoped to the caller's org (admin) or any org (service). */
export function statsRouter(deps: { readonly reads: ReadRouting; readonly producer: Producer }): Router {
  const router = Router();

  router.get("/v1/stats/queues", async (req, res) => {
    const q = parseOr400(statsQuerySchema, req.query);
    const scope = statsScopeOf(principalOf(req), q.orgId);
    const { stats, depths, states } = await deps.reads.read(req, async (r) => {
      const stats = await queueStats(r.db, scope);
      // BullMQ's queues are shared by every org: only callers who see every org get its live depths;
      // an org's own depths come from its rows in Postgres.
      const [depths, states] = await Promise.all([
        scope.orgId === null
          ? globalDepths(deps.producer)
          : orgDepths(r.db, scope.orgId, [...deps.producer.queues.keys()], stats),
        // Pauses operators took (bull-board), as Postgres recorded them; a queue without a row runs.
        listQueueStates(r.pool),
      ]);
      return { stats, depths, states };
    });
    const paused = new Map(states.map((s) => [s.queue, s]));
    const queueStates = [...deps.producer.queues.keys()].map((queue) => ({
      queue,
      paused: paused.get(queue)?.paused ?? false,
      changedAt: paused.get(queue)?.changedAt.toISOString() ?? null,
    }));
    const answer: QueueStatsAnswer = {
      window: "24h",
      byTypeAndStatus: stats,
      queueDepths: depths,
      depthsScope: scope.orgId === null ? "all" : "org",
      queueStates,
    };
    res.json(answer);
  });

  router.get("/v1/stats/failed", async (req, res) => {
    const q = parseOr400(statsQuerySchema, req.query);
    const scope = statsScopeOf(principalOf(req), q.orgId);
    const failed = await deps.reads.read(req, (r) => failedJobsNeedingAttention(r.db, scope, q.limit));
    const answer: FailedJobsAnswer = {
      jobs: failed.map((f) => ({
        id: f.id,
        type: f.type,
        subtype: f.subtype,
        name: f.name,
        attempts: f.attempts,
        maxAttempts: f.max_attempts,
        attemptsLeft: f.attempts_left,
        error: f.error_code === null ? null : { code: f.error_code, message: f.error_message ?? "" },
        failedAt: f.failed_at?.toISOString() ?? null,
      })),
    };
    res.json(answer);
  });

  router.get("/v1/stats/types", async (req, res) => {
    const q = parseOr400(statsQuerySchema, req.query);
    const scope = statsScopeOf(principalOf(req), q.orgId);
    const answer: TypeStatsAnswer = { window: "7d", types: await deps.reads.read(req, (r) => typeStats(r.db, scope)) };
    res.json(answer);
  });
  return router;
}
