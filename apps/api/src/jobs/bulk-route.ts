import { Router } from "express";
import { countJobs, type JobListFilter, type Queryable } from "@jobstream/db";
import { jobTypes } from "@jobstream/job-types";
import { enqueueJobs, type Producer } from "@jobstream/queue";
import { principalOf } from "../auth/authenticate";
import { scopeOf } from "../auth/scope";
import { ApiError } from "../http/errors";
import { parseOr400 } from "../http/validate";
import { bulkBodySchema } from "./bulk-schemas";
import { listFilterOf } from "./list-filter";

/** Batches a bulk job may report (its type's item limit), with room for jobs that enter the filter later. */
const MAX_BATCHES = jobTypes.bulk.limits.maxItems / 2;

/** The filter as the bulk job's input stores it (JSON dates). */
function serialized(filter: JobListFilter & { readonly createdTo: Date }) {
  return {
    ...filter,
    statuses: filter.statuses === undefined ? undefined : [...filter.statuses],
    createdFrom: filter.createdFrom?.toISOString(),
    createdTo: filter.createdTo.toISOString(),
  };
}

/**
 * `POST /v1/jobs/bulk`: admins act on their org's jobs, services and operators on any org's (or
 * the one `filter.orgId` names); members are refused. The matched set is frozen here: the count
 * and the bulk job's walk both stop at jobs created before this request (`createdTo`), so jobs
 * created afterwards are never touched. The work runs as a `bulk/<action>` job of the caller's org.
 * A dry run answers the same count (200 `{ matched }`), with the same access and checks, and acts on nothing.
 */
export function bulkRouter(deps: { readonly pool: Queryable; readonly producer: Producer }): Router {
  const router = Router();
  router.post("/v1/jobs/bulk", async (req, res) => {
    const principal = principalOf(req);
    if (principal.kind !== "token") throw new ApiError("unauthorized", "bulk actions need a bearer token");
    if (principal.role === "member")
      throw new ApiError("forbidden", "bulk actions are for admins, operators and services");
    const body = parseOr400(bulkBodySchema, req.body);
    const scope = scopeOf(principal, body.filter.orgId);
    const asked = listFilterOf(body.filter);
    const now = new Date();
    const filter = {
      ...asked,
      createdTo: asked.createdTo !== undefined && asked.createdTo < now ? asked.createdTo : now,
    };
    const matched = await countJobs(deps.pool, scope, filter);
    if (body.dryRun === true) {
      res.status(200).json({ matched });
      return;
    }
    const batchSize = Math.min(1000, Math.max(200, Math.ceil(matched / MAX_BATCHES)));
    const input = jobTypes.bulk.subtypes[body.action].input.parse({
      orgId: scope.orgId,
      filter: serialized(filter),
      matched,
      batchSize,
    });
    const [result] = await enqueueJobs({ db: deps.pool, producer: deps.producer }, [
      {
        orgId: principal.orgId,
        userId: principal.userId,
        type: "bulk",
        subtype: body.action,
        name: `Bulk ${body.action} of ${String(matched)} jobs`,
        input,
      },
    ]);
    if (result === undefined) throw new Error("the bulk job was not stored");
    res.status(202).json({ bulk: { id: result.id, matched } });
  });
  return router;
}
