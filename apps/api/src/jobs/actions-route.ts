import type pg from "pg";
import { Router } from "express";
import { cancelPendingJob, isFinalStatus, type Db, type Job } from "@jobstream/db";
import { announceChanges, keysFor, storedOptionsSchema, type EventPublisher, type Producer } from "@jobstream/queue";
import type { Redis } from "@jobstream/runtime";
import { canActOnJob } from "../auth/access";
import { principalOf } from "../auth/authenticate";
import { ApiError } from "../http/errors";
import { parseOr400 } from "../http/validate";
import { toJobView } from "./job-view";
import { jobIdParamsSchema } from "./schemas";
import { writeTransition } from "./transition";

export interface ActionDeps {
  readonly db: Db;
  readonly pool: pg.Pool;
  readonly redis: Redis;
  readonly producer: Producer;
  readonly publisher: EventPublisher;
  readonly prefix: string;
}

/** A cancel request outlives the answer so a worker that picks the job up later still sees it. */
const CANCEL_FLAG_TTL_S = 86_400;

export function actionsRouter(deps: ActionDeps): Router {
  const router = Router();
  const keys = keysFor(deps.prefix);

  const load = async (id: string, req: Parameters<typeof principalOf>[0]): Promise<Job> => {
    const row = await deps.db.job.findUnique({ where: { id } });
    if (!row || !canActOnJob(principalOf(req), row)) throw new ApiError("not_found", "no such job");
    return row;
  };
  const view = async (id: string) => {
    await announceChanges(deps.redis, deps.prefix, [id]);
    const row = await deps.db.job.findUnique({ where: { id } });
    if (!row) throw new ApiError("not_found", "no such job");
    return { job: toJobView(row) };
  };

  router.post("/v1/jobs/:id/cancel", async (req, res) => {
    const { id } = parseOr400(jobIdParamsSchema, req.params);
    const row = await load(id, req);
    if (isFinalStatus(row.status)) throw new ApiError("conflict", `job is already ${row.status}`);
    if (row.status === "pending" && (await cancelPendingJob(deps.db, id))) {
      await deps.redis.set(keys.cancelFlag(id), "1", "EX", CANCEL_FLAG_TTL_S).catch(() => undefined);
      res.status(200).json(await view(id));
      return;
    }
    await deps.redis.set(keys.cancelFlag(id), "1", "EX", CANCEL_FLAG_TTL_S);
    const job = await deps.producer.queue(row.type).getJob(id);
    let removed = job === undefined;
    if (job) {
      // A waiting or delayed job is removed; a running one is locked and cannot be.
      removed = await job.remove().then(() => true, () => false);
    }
    if (removed) {
      await writeTransition(deps, row, { status: "cancelled" }, { type: "cancelled", data: { by: "api" }, at: Date.now() });
      res.status(200).json(await view(id));
      return;
    }
    // Running: whichever worker process holds it aborts its handler and records the cancel.
    await deps.redis.publish(keys.cancelChannel(), id);
    res.status(202).json(await view(id));
  });

  router.post("/v1/jobs/:id/retry", async (req, res) => {
    const { id } = parseOr400(jobIdParamsSchema, req.params);
    const row = await load(id, req);
    if (row.status !== "failed" && row.status !== "cancelled") throw new ApiError("conflict", `only failed or cancelled jobs can be retried (job is ${row.status})`);
    const existing = await deps.producer.queue(row.type).getJob(id);
    if (existing) {
      const removed = await existing.remove().then(() => true, () => false);
      if (!removed) throw new ApiError("conflict", "the job's previous run is still stopping; try again shortly");
    }
    await deps.redis.del(keys.cancelFlag(id));
    const stored = storedOptionsSchema.safeParse(row.options);
    const perRun = (stored.success ? stored.data.attemptsPerRun : undefined) ?? row.maxAttempts;
    // Reopen in Postgres first: if Redis then fails, the reconciler finds the job missing and adds it.
    await writeTransition(
      deps,
      row,
      { status: "queued", progress: 0, message: null, step: null, output: null, error: null, startedAt: null, finishedAt: null, durationMs: null, reopen: true },
      { type: "retried", data: { attempts: row.attempts }, at: Date.now() },
    );
    await deps.db.job.update({ where: { id }, data: { maxAttempts: row.attempts + perRun, queuedAt: new Date() } });
    await deps.producer.add([
      {
        id, type: row.type, subtype: row.subtype ?? "", input: row.input, priority: row.priority,
        attemptBase: row.attempts, attempts: perRun,
        backoff: (stored.success ? stored.data.backoff : undefined) ?? { type: "fixed", delayMs: 1000 },
        timeoutMs: stored.success ? stored.data.timeoutMs : undefined,
        runAt: null,
      },
    ]);
    res.status(202).json(await view(id));
  });
  return router;
}
