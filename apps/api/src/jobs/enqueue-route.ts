import { Router, type Request } from "express";
import {
  findIdempotentJobs,
  findJobsByIds,
  type Db,
  type IdempotentJob,
  type NewJobRow,
  type NewJobStatus,
  type Queryable,
} from "@jobstream/db";
import type { FieldIssue, JobTypeAudience } from "@jobstream/job-types";
import { announceStates, enqueueJobs, type EnqueueResult, type Producer } from "@jobstream/queue";
import type { Logger, RedisClient } from "@jobstream/runtime";
import { principalOf } from "../auth/authenticate";
import type { Principal } from "../auth/principal";
import { ApiError } from "../http/errors";
import { parseOr400 } from "../http/validate";
import { toAnnounced, type Delivery } from "../realtime/delivery";
import { checkEnqueue, refuseCrossSlotFlows, type CheckedRequest } from "./enqueue-check";
import { idempotencyMessages, idempotencyOutcome } from "./idempotency";
import { newJobView, toJobView, type JobView } from "./job-view";
import { admitEnqueue, type QuotaLimits } from "./quota";
import { withBatchGroup } from "../groups/batch-group";
import { batchBodySchema, countFlowJobs, MAX_FLOW_JOBS } from "./schemas";

/** Who may enqueue what, and how much: from the API's environment. */
export interface EnqueuePolicy extends QuotaLimits {
  /** `ENABLE_SYNTHETIC_JOBS`. */
  readonly developmentTypes: boolean;
}

export interface EnqueueDeps {
  readonly db: Db;
  readonly pool: Queryable;
  readonly redis: RedisClient;
  readonly prefix: string;
  readonly producer: Producer;
  readonly logger: Logger;
  readonly enqueuePolicy: EnqueuePolicy;
}

function tokenPrincipal(req: Request): Principal & { kind: "token" } {
  const principal = principalOf(req);
  if (principal.kind !== "token") throw new ApiError("unauthorized", "enqueueing needs a bearer token");
  return principal;
}

/**
 * Answers built from what was just stored (only jobs found by idempotency key, or already moved
 * on by a worker, are read back), and the new jobs' states announced to every realtime stream.
 */
async function answers(deps: EnqueueDeps, results: readonly EnqueueResult[]): Promise<EnqueueAnswer[]> {
  const all = (r: EnqueueResult): EnqueueResult[] => [r, ...r.children.flatMap(all)];
  const flat = results.flatMap(all);
  const readBack = flat.filter((r) => r.stored === null).map((r) => r.id);
  const rows = readBack.length === 0 ? [] : (await findJobsByIds(deps.db, readBack, new Set(readBack))).full;
  const byId = new Map(rows.map((r) => [r.id, r]));
  const announced: Delivery[] = [];
  const answer = (r: EnqueueResult): EnqueueAnswer => {
    const row = byId.get(r.id);
    let job: JobView | null = row ? toJobView(row) : null;
    if (r.stored !== null) {
      const { row: stored, status, queuedAt, version } = r.stored;
      job = newJobView(stored, status, queuedAt);
      // Version 0 was announced as stored (onStored); a row moved back to `pending` has moved on.
      if (version > 0n)
        announced.push({
          id: stored.id,
          version,
          status,
          type: stored.type,
          groupId: stored.groupId,
          view: job,
          ownership: { orgId: stored.orgId, userId: stored.userId, accessTokenHash: stored.accessTokenHash },
        });
    }
    if (job === null) throw new Error(`job ${r.id} vanished after enqueue`);
    const base = { job, pollUrl: `/v1/jobs/${r.id}`, streamUrl: `/v1/jobs/${r.id}/stream`, accessToken: r.accessToken };
    return r.children.length === 0 ? base : { ...base, children: r.children.map(answer) };
  };
  const out = results.map(answer);
  await announceStates(deps.producer.connection, deps.producer.prefix, announced.map(toAnnounced));
  return out;
}

/** What enqueueing one job answers; a job enqueued with sub-jobs also holds theirs. */
interface EnqueueAnswer {
  readonly job: JobView;
  readonly pollUrl: string;
  readonly streamUrl: string;
  readonly accessToken: string | null;
  readonly children?: readonly EnqueueAnswer[];
}

/** A stored job's first state (version 0), before it reaches Redis. */
function storedDelivery({ row, status }: { row: NewJobRow; status: NewJobStatus }): Delivery {
  return {
    id: row.id,
    version: 0n,
    status,
    type: row.type,
    groupId: row.groupId,
    view: newJobView(row, status, status === "pending" ? null : row.createdAt),
    ownership: { orgId: row.orgId, userId: row.userId, accessTokenHash: row.accessTokenHash },
  };
}

export function enqueueRouter(deps: EnqueueDeps): Router {
  const router = Router();
  const onDispatchError = (error: unknown) => {
    deps.logger.warn({ err: (error as Error).message }, "redis unavailable at enqueue; the outbox will dispatch");
  };
  // Streams get every state in order: the stored one as soon as the row exists (a worker may start
  // the job right after), then whatever follows.
  const onStored = (rows: readonly { row: NewJobRow; status: NewJobStatus }[]) =>
    announceStates(
      deps.producer.connection,
      deps.producer.prefix,
      rows.map((r) => toAnnounced(storedDelivery(r))),
    );

  const enqueue = (checked: readonly CheckedRequest[]) =>
    enqueueJobs(
      { db: deps.pool, producer: deps.producer, onDispatchError, onStored },
      checked.map((c) => c.request),
    );

  /** Validates every body, settles idempotency keys, checks quotas, then stores what is new. */
  const run = async (req: Request, bodies: readonly { body: unknown; prefix: string }[]): Promise<EnqueueResult[]> => {
    const principal = tokenPrincipal(req);
    const total = bodies.reduce((sum, { body }) => sum + countFlowJobs(body), 0);
    if (total > MAX_FLOW_JOBS) {
      const path = bodies.length === 1 && bodies[0]?.prefix === "" ? "children" : "jobs";
      const message = `at most ${String(MAX_FLOW_JOBS)} jobs per request, sub-jobs included`;
      throw new ApiError("validation_failed", message, [{ path, message }]);
    }
    const audience: JobTypeAudience = { role: principal.role, developmentTypes: deps.enqueuePolicy.developmentTypes };
    const results = await Promise.all(
      bodies.map(({ body, prefix }) => checkEnqueue(deps.db, principal, audience, body, prefix)),
    );
    const issues = results.flatMap((c) => (c.ok ? [] : c.issues));
    if (issues.length > 0) {
      const forbidden = results.some((c) => !c.ok && c.forbidden === true);
      const message =
        bodies.length === 1 && bodies[0]?.prefix === ""
          ? "request is invalid"
          : "batch is invalid; nothing was enqueued";
      throw new ApiError(forbidden ? "forbidden" : "validation_failed", message, issues);
    }
    const checked = results.flatMap((c) => (c.ok ? [c.checked] : []));
    const { fresh, replays } = await settleKeys(deps.pool, principal, checked);
    // Only what would be stored: a replay answers a flow stored before the groups changed.
    refuseCrossSlotFlows(deps.producer.keys, fresh);
    const demands = new Map<string, { jobs: number; items: number }>();
    for (const c of fresh) {
      const demand = demands.get(c.request.orgId) ?? { jobs: 0, items: 0 };
      demands.set(c.request.orgId, { jobs: demand.jobs + c.jobs, items: demand.items + c.items });
    }
    if (fresh.length > 0) await admitEnqueue(deps, deps.enqueuePolicy, demands);
    const stored = await enqueue(fresh);
    await refuseLostRaces(deps, principal, fresh, stored);
    const byIndex = new Map(fresh.map((c, i) => [c, stored[i]]));
    return checked.map((c) => {
      const existing = replays.get(c);
      if (existing !== undefined)
        return { id: existing, created: false, stored: null, accessToken: null, dispatched: true, children: [] };
      const result = byIndex.get(c);
      if (!result) throw new Error("enqueue returned fewer results than requests");
      return result;
    });
  };

  router.post("/v1/jobs", async (req, res) => {
    const [result] = await run(req, [{ body: req.body, prefix: "" }]);
    if (!result) throw new Error("enqueue returned nothing");
    const [answer] = await answers(deps, [result]);
    res.status(result.created ? 202 : 200).json(answer);
  });

  router.post("/v1/jobs/batch", async (req, res) => {
    tokenPrincipal(req);
    const { jobs, groupId } = parseOr400(batchBodySchema, req.body);
    const results = await run(
      req,
      withBatchGroup(jobs, groupId).map((body, i) => ({ body, prefix: `jobs.${String(i)}` })),
    );
    res.status(202).json({ jobs: await answers(deps, results) });
  });
  return router;
}

const keyOf = (c: CheckedRequest) => `${c.request.orgId}/${c.request.idempotencyKey ?? ""}`;

/**
 * Splits requests into new ones and replays of jobs their idempotency keys already name (answered
 * with that job), or refuses the whole enqueue with 409 when a key names a job the caller may not
 * read (`idempotency_key_in_use`) or was used with another request (`idempotency_key_reused`, also
 * for one key twice in a batch with different requests).
 */
async function settleKeys(
  pool: Queryable,
  principal: Principal,
  checked: readonly CheckedRequest[],
): Promise<{ fresh: CheckedRequest[]; replays: Map<CheckedRequest, string> }> {
  const keyed = checked.filter((c) => c.request.idempotencyKey !== null);
  const existing = new Map<string, IdempotentJob>();
  for (const orgId of new Set(keyed.map((c) => c.request.orgId))) {
    const keys = keyed.filter((c) => c.request.orgId === orgId).map((c) => c.request.idempotencyKey ?? "");
    for (const job of await findIdempotentJobs(pool, orgId, keys)) existing.set(`${orgId}/${job.idempotencyKey}`, job);
  }
  const fresh: CheckedRequest[] = [];
  const replays = new Map<CheckedRequest, string>();
  const inBatch = new Map<string, string>();
  const conflicts: { outcome: "in_use" | "reused"; issue: FieldIssue }[] = [];
  const at = (c: CheckedRequest) => (c.prefix === "" ? "idempotencyKey" : `${c.prefix}.idempotencyKey`);
  for (const c of checked) {
    if (c.request.idempotencyKey === null) {
      fresh.push(c);
      continue;
    }
    const job = existing.get(keyOf(c));
    const outcome = job
      ? idempotencyOutcome(principal, job, c.request.requestHash)
      : inBatch.has(keyOf(c)) && inBatch.get(keyOf(c)) !== c.request.requestHash
        ? "reused"
        : null;
    if (outcome === "in_use" || outcome === "reused")
      conflicts.push({ outcome, issue: { path: at(c), message: idempotencyMessages[outcome] } });
    else if (job) replays.set(c, job.id);
    else {
      inBatch.set(keyOf(c), c.request.requestHash);
      fresh.push(c);
    }
  }
  if (conflicts.length > 0) {
    // "In use" reveals the least, so it wins when both apply.
    const code = conflicts.some((c) => c.outcome === "in_use") ? "idempotency_key_in_use" : "idempotency_key_reused";
    throw new ApiError(
      code,
      conflicts.length === 1
        ? (conflicts[0]?.issue.message ?? code)
        : "idempotency keys conflict; nothing was enqueued",
      conflicts.map((c) => c.issue),
    );
  }
  return { fresh, replays };
}

/**
 * A key taken by a concurrent enqueue between `settleKeys` and the insert comes back as an
 * existing job: apply the same rule to it. (The rest of such a batch is stored by then; this
 * race needs two clients sending one key at the same moment.)
 */
async function refuseLostRaces(
  deps: { readonly pool: Queryable; readonly logger: Logger },
  principal: Principal,
  fresh: readonly CheckedRequest[],
  stored: readonly EnqueueResult[],
): Promise<void> {
  const lost = fresh.filter((c, i) => stored[i]?.created === false && c.request.idempotencyKey !== null);
  for (const c of lost) {
    const [job] = await findIdempotentJobs(deps.pool, c.request.orgId, [c.request.idempotencyKey ?? ""]);
    const outcome = job ? idempotencyOutcome(principal, job, c.request.requestHash) : "replay";
    if (outcome !== "replay") {
      deps.logger.info({ outcome }, "idempotency key taken by a concurrent enqueue");
      throw new ApiError(`idempotency_key_${outcome}`, idempotencyMessages[outcome], [
        {
          path: c.prefix === "" ? "idempotencyKey" : `${c.prefix}.idempotencyKey`,
          message: idempotencyMessages[outcome],
        },
      ]);
    }
  }
}
