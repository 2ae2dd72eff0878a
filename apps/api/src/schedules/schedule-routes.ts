import { randomUUID } from "node:crypto";
import { Router, type Request } from "express";
import { SYSTEM_ORG_ID } from "@jobstream/contract";
import {
  deleteSchedule,
  findScheduleById,
  insertSchedule,
  listSchedules,
  updateSchedule,
  type Db,
  type Queryable,
  type ScheduleDefinition,
  type ScheduleRow,
} from "@jobstream/db";
import type { FieldIssue } from "@jobstream/job-types";
import { ScheduleTicks, syncSchedule, toScheduledJob, type Producer } from "@jobstream/queue";
import type { Logger } from "@jobstream/runtime";
import { principalOf } from "../auth/authenticate";
import { scopeOf } from "../auth/scope";
import { ApiError } from "../http/errors";
import { parseOr400 } from "../http/validate";
import { pageAnswer, pageRequest } from "../jobs/cursor";
import type { EnqueuePolicy } from "../jobs/enqueue-route";
import { bearerPrincipal, canAccessSchedule } from "./access";
import { checkScheduledJob } from "./scheduled-job-check";
import { toScheduleView } from "./schedule-view";
import {
  createScheduleBodySchema,
  patchScheduleBodySchema,
  scheduleIdParamsSchema,
  scheduleListQuerySchema,
} from "./schemas";
import { timingIssues } from "./timing";

export interface ScheduleDeps {
  readonly db: Db;
  readonly pool: Queryable;
  readonly producer: Producer;
  readonly logger: Logger;
  readonly enqueuePolicy: EnqueuePolicy;
}

const date = (value: string | null | undefined, fallback: Date | null): Date | null =>
  value === undefined ? fallback : value === null ? null : new Date(value);

function refuse(issues: readonly FieldIssue[], forbidden = false): never {
  throw new ApiError(forbidden ? "forbidden" : "validation_failed", "request is invalid", issues);
}

/** `/v1/schedules`: recurring jobs. Postgres is written first; Redis follows (or the housekeeper repairs it). */
export function scheduleRouter(deps: ScheduleDeps): Router {
  const router = Router();
  const { connection, prefix } = deps.producer;
  const ticks = new ScheduleTicks(connection, prefix, (error) => {
    deps.logger.warn({ err: error.message }, "schedules queue error");
  });

  /** Redis follows the row; when it is out, the answer still stands and the housekeeper catches up. */
  const sync = async (row: ScheduleRow): Promise<ScheduleRow> => {
    try {
      return { ...row, nextRunAt: await syncSchedule({ db: deps.pool, ticks }, row) };
    } catch (error) {
      deps.logger.warn({ err: (error as Error).message, scheduleId: row.id }, "scheduler not written; reconcile will");
      return row;
    }
  };

  const readable = async (req: Request): Promise<ScheduleRow> => {
    const principal = bearerPrincipal(principalOf(req));
    const { id } = parseOr400(scheduleIdParamsSchema, req.params);
    const row = await findScheduleById(deps.pool, id);
    if (!row || !canAccessSchedule(principal, row)) throw new ApiError("not_found", "no such schedule");
    return row;
  };

  const audienceOf = (principal: ReturnType<typeof bearerPrincipal>) => ({
    role: principal.role,
    developmentTypes: deps.enqueuePolicy.developmentTypes,
  });

  router.post("/v1/schedules", async (req, res) => {
    const principal = bearerPrincipal(principalOf(req));
    const body = parseOr400(createScheduleBodySchema, req.body);
    const timing = {
      cron: body.cron ?? null,
      everyMs: body.everyMs ?? null,
      timezone: body.timezone ?? "UTC",
      startAt: date(body.startAt, null),
      endAt: date(body.endAt, null),
    };
    const job = await checkScheduledJob(deps.db, principal, audienceOf(principal), body.job);
    const issues = [...timingIssues(timing), ...(job.ok ? [] : job.issues)];
    if (!job.ok || issues.length > 0) refuse(issues, !job.ok && job.forbidden === true);
    const row = await insertSchedule(deps.pool, {
      id: randomUUID(),
      orgId: job.request.orgId,
      userId: job.request.userId,
      name: body.name,
      ...timing,
      job: toScheduledJob(job.request),
      paused: body.paused ?? false,
    });
    res.status(201).json({ schedule: toScheduleView(await sync(row)) });
  });

  router.get("/v1/schedules", async (req, res) => {
    const q = parseOr400(scheduleListQuerySchema, req.query);
    const scope = scopeOf(bearerPrincipal(principalOf(req)), q.orgId);
    res.json(pageAnswer("schedules", await listSchedules(deps.pool, scope, pageRequest(q)), toScheduleView));
  });

  router.get("/v1/schedules/:id", async (req, res) => {
    res.json({ schedule: toScheduleView(await readable(req)) });
  });

  router.patch("/v1/schedules/:id", async (req, res) => {
    const row = await readable(req);
    const principal = bearerPrincipal(principalOf(req));
    const patch = parseOr400(patchScheduleBodySchema, req.body);
    const owner = { orgId: row.orgId, userId: row.userId };
    const job =
      patch.job === undefined
        ? null
        : await checkScheduledJob(deps.db, principal, audienceOf(principal), patch.job, owner);
    // A new pattern replaces the interval and the other way round; both in one PATCH is refused.
    const definition: ScheduleDefinition = {
      name: patch.name ?? row.name,
      cron: patch.cron ?? (patch.everyMs !== undefined ? null : row.cron),
      everyMs: patch.everyMs ?? (patch.cron !== undefined ? null : row.everyMs),
      timezone: patch.timezone ?? row.timezone,
      job: job?.ok === true ? toScheduledJob(job.request) : row.job,
      startAt: date(patch.startAt, row.startAt),
      endAt: date(patch.endAt, row.endAt),
      paused: patch.paused ?? row.paused,
    };
    const issues = [...timingIssues(definition), ...(job !== null && !job.ok ? job.issues : [])];
    if (issues.length > 0) refuse(issues, job !== null && !job.ok && job.forbidden === true);
    const updated = await updateSchedule(deps.pool, row.id, definition);
    if (!updated) throw new ApiError("not_found", "no such schedule");
    res.json({ schedule: toScheduleView(await sync(updated)) });
  });

  router.delete("/v1/schedules/:id", async (req, res) => {
    const row = await readable(req);
    if (row.orgId === SYSTEM_ORG_ID) {
      throw new ApiError("conflict", "Jobstream's own schedules can be paused or changed, not deleted");
    }
    if (!(await deleteSchedule(deps.pool, row.id))) throw new ApiError("not_found", "no such schedule");
    try {
      await ticks.remove(row.id);
    } catch (error) {
      deps.logger.warn({ err: (error as Error).message, scheduleId: row.id }, "scheduler not removed; reconcile will");
    }
    res.status(204).end();
  });
  return router;
}
