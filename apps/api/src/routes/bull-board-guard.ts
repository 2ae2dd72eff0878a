import { Router, type Request } from "express";
import { z } from "zod";
import { findJobById, findRetryableJobs, isFinalStatus } from "@jobstream/db";
import { announceChanges } from "@jobstream/queue";
import { principalOf } from "../auth/authenticate";
import { ApiError } from "../http/errors";
import { parseOr400 } from "../http/validate";
import { cancelJob, retryJob, type ActionDeps } from "@jobstream/queue";
import { setQueuesPaused } from "../queues/queue-controls";

/**
 * bull-board's API routes (9.10.1) that would make Redis disagree with Postgres, the system of
 * record: refused with 403 for everyone (operators included). bull-board has no option to hide
 * these buttons one by one (only `readOnlyMode`, which hides retry/clean/pause too), so the UI
 * shows them and the click answers 403.
 * - add (also what the UI's "duplicate" sends): a job with no row, or a second run of one;
 * - update-data, delay, priority: Redis runs something other than what Postgres shows;
 * - empty, obliterate, remove-unprocessed-children: jobs vanish from Redis while their rows stay
 *   unfinished (cancel them through the API instead);
 * - concurrency, rate-limit: limits come from configuration (job type defaults, CONCURRENCY_*);
 * - job schedulers: Jobstream defines none, and a scheduler run would add a job with no row.
 */
export const REFUSED_BULL_BOARD_ROUTES: readonly {
  readonly method: "post" | "put" | "patch";
  readonly path: string;
}[] = [
  { method: "post", path: "/api/queues/:queueName/add" },
  { method: "patch", path: "/api/queues/:queueName/:jobId/update-data" },
  { method: "patch", path: "/api/queues/:queueName/:jobId/delay" },
  { method: "patch", path: "/api/queues/:queueName/:jobId/priority" },
  { method: "put", path: "/api/queues/:queueName/empty" },
  { method: "put", path: "/api/queues/:queueName/obliterate" },
  { method: "put", path: "/api/queues/:queueName/:jobId/remove-unprocessed-children" },
  { method: "put", path: "/api/queues/:queueName/concurrency" },
  { method: "put", path: "/api/queues/:queueName/rate-limit" },
  { method: "put", path: "/api/queues/:queueName/job-schedulers/:schedulerId/remove" },
  { method: "patch", path: "/api/queues/:queueName/job-schedulers/:schedulerId" },
  { method: "put", path: "/api/queues/:queueName/job-schedulers/:schedulerId/run" },
  { method: "post", path: "/api/metrics/history/purge" },
];

/** Clean of these BullMQ states only drops Redis copies of jobs Postgres already holds as final. */
const FINAL_CLEAN_STATES = new Set(["completed", "failed"]);
/** Failed jobs re-run per bull-board "retry all" click (the button can be clicked again). */
const RETRY_ALL_LIMIT = 1000;

const queueParams = z.object({ queueName: z.string().min(1).max(100) }).loose();
const jobParams = z.object({ queueName: z.string().min(1).max(100), jobId: z.uuid() }).loose();
const anyJobParams = z.object({ queueName: z.string().min(1).max(100), jobId: z.string().min(1).max(200) }).loose();
const statusParams = z
  .object({ queueName: z.string().min(1).max(100), queueStatus: z.string().min(1).max(40) })
  .loose();

/**
 * Sits in front of bull-board (operators only, see requireOperator): refuses the routes above, and
 * carries out the kept actions that change job state the way the v1 API does, so Postgres
 * records them:
 * - retry (one job, or "retry all" failed): Postgres reopens the job with a new attempt budget
 *   first (the same path as POST /v1/jobs/:id/retry); retrying completed jobs is refused (a
 *   completed job is not run twice; the adapter also hides that button).
 * - clean of one unfinished job (waiting, delayed, prioritized): the job is cancelled, as
 *   POST /v1/jobs/:id/cancel does; left to bull-board, the reconciler would find it missing from
 *   Redis and queue it again. "Clean all" is allowed for completed and failed only.
 * - pause / resume (one queue or all): BullMQ pauses, then `queue_states` records it
 *   (GET /v1/stats/queues shows `paused`).
 * - promote (delayed → waiting) is left to bull-board: the worker's events move the row on.
 */
export function bullBoardGuard(deps: ActionDeps): Router {
  const router = Router();
  const refuse = () => {
    throw new ApiError("forbidden", "this bull-board action would make Redis disagree with Postgres; use the v1 API");
  };
  for (const { method, path } of REFUSED_BULL_BOARD_ROUTES) router[method](path, refuse);

  const queueOf = (name: string) => {
    const queue = deps.producer.queues.get(name);
    if (!queue) throw new ApiError("not_found", "no such queue");
    return queue;
  };
  const rowOf = async (queueName: string, jobId: string) => {
    const row = await findJobById(deps.db, jobId);
    if (row?.queue !== queueName) throw new ApiError("not_found", "no such job");
    return row;
  };
  const operatorId = (req: Request) => {
    const principal = principalOf(req);
    return principal.kind === "token" ? principal.userId : null;
  };

  router.put("/api/queues/:queueName/:jobId/retry", async (req, res) => {
    const { queueName, jobId } = parseOr400(jobParams, req.params);
    await retryJob(deps, await rowOf(queueName, jobId), "bull-board");
    await announceChanges(deps.redis, deps.prefix, [jobId]);
    res.status(204).end();
  });

  router.put("/api/queues/:queueName/retry/:queueStatus", async (req, res) => {
    const { queueName, queueStatus } = parseOr400(statusParams, req.params);
    if (queueStatus !== "failed") throw new ApiError("forbidden", "only failed jobs can be retried");
    const failed = await queueOf(queueName).getFailed(0, RETRY_ALL_LIMIT - 1);
    const ids = failed.map((j) => j.id).filter((id): id is string => id !== undefined);
    const rows = await findRetryableJobs(deps.db, queueName, ids);
    for (const row of rows) await retryJob(deps, row, "bull-board");
    await announceChanges(
      deps.redis,
      deps.prefix,
      rows.map((r) => r.id),
    );
    res.status(200).json({});
  });

  router.put("/api/queues/:queueName/:jobId/clean", async (req, res, next) => {
    const { queueName, jobId } = parseOr400(anyJobParams, req.params);
    const row = z.uuid().safeParse(jobId).success ? await findJobById(deps.db, jobId) : null;
    // A final job's Redis copy may go (bull-board removes it; Postgres keeps the record), and so
    // may a Redis-only job without a row (it has no record to disagree with).
    if (row?.queue !== queueName || isFinalStatus(row.status)) {
      next();
      return;
    }
    await cancelJob(deps, row, "bull-board");
    await announceChanges(deps.redis, deps.prefix, [jobId]);
    res.status(204).end();
  });

  router.put("/api/queues/:queueName/clean/:queueStatus", (req, _res, next) => {
    const { queueStatus } = parseOr400(statusParams, req.params);
    if (!FINAL_CLEAN_STATES.has(queueStatus))
      throw new ApiError(
        "forbidden",
        "only completed or failed jobs can be cleaned in bulk; cancel others through the v1 API",
      );
    next();
  });

  const pause = (req: Request, names: readonly string[], paused: boolean) =>
    setQueuesPaused(deps, names, paused, operatorId(req));
  const all = () => [...deps.producer.queues.keys()];
  router.put("/api/queues/pause", async (req, res) => {
    await pause(req, all(), true);
    res.status(200).json({});
  });
  router.put("/api/queues/resume", async (req, res) => {
    await pause(req, all(), false);
    res.status(200).json({});
  });
  router.put("/api/queues/:queueName/pause", async (req, res) => {
    await pause(req, [parseOr400(queueParams, req.params).queueName], true);
    res.status(200).json({});
  });
  router.put("/api/queues/:queueName/resume", async (req, res) => {
    await pause(req, [parseOr400(queueParams, req.params).queueName], false);
    res.status(200).json({});
  });
  return router;
}
