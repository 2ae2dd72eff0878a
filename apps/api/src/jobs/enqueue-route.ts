import { Router, type Request } from "express";
import type { Db, NewJobRow, Queryable } from "@jobstream/db";
import { resolveJobKind, toFieldIssues, type FieldIssue } from "@jobstream/job-types";
import { announceStates, enqueueJobs, type EnqueueRequest, type EnqueueResult, type Producer } from "@jobstream/queue";
import type { Logger } from "@jobstream/runtime";
import { canAccessJob } from "../auth/access";
import { principalOf } from "../auth/authenticate";
import type { Principal } from "../auth/principal";
import { ApiError } from "../http/errors";
import { parseOr400 } from "../http/validate";
import { toAnnounced, type Delivery } from "../realtime/delivery";
import { newJobView, toJobView, type JobView } from "./job-view";
import { batchBodySchema, enqueueBodySchema } from "./schemas";

export interface EnqueueDeps {
  readonly db: Db;
  readonly pool: Queryable;
  readonly producer: Producer;
  readonly logger: Logger;
}

type Checked = { ok: true; request: EnqueueRequest } | { ok: false; issues: FieldIssue[]; forbidden?: boolean };

/** Validates one enqueue body for the caller; every problem is reported with its field path. */
async function check(deps: EnqueueDeps, principal: Principal & { kind: "token" }, body: unknown, prefix: string): Promise<Checked> {
  const at = (path: string) => (prefix === "" ? path : path === "" ? prefix : `${prefix}.${path}`);
  const parsed = enqueueBodySchema.safeParse(body);
  if (!parsed.success) return { ok: false, issues: toFieldIssues(parsed.error, prefix) };
  const b = parsed.data;
  const kind = resolveJobKind(b.type, b.subtype);
  if (!kind.ok) return { ok: false, issues: [{ path: at(kind.field), message: kind.message }] };
  const input = kind.kind.spec.input.safeParse(b.input);
  if (!input.success) return { ok: false, issues: toFieldIssues(input.error, at("input")) };

  if (principal.role !== "service" && (b.orgId !== undefined || b.userId !== undefined)) {
    const field = b.orgId !== undefined ? "orgId" : "userId";
    return { ok: false, forbidden: true, issues: [{ path: at(field), message: "only service tokens may enqueue for another org or user" }] };
  }
  const orgId = b.orgId ?? principal.orgId;
  const userId = principal.role === "service" ? (b.userId ?? null) : principal.userId;
  if (b.parentId !== undefined) {
    const parent = await deps.db.job.findUnique({ where: { id: b.parentId }, select: { orgId: true, userId: true, accessTokenHash: true } });
    if (!parent || !canAccessJob(principal, parent) || parent.orgId !== orgId) {
      return { ok: false, issues: [{ path: at("parentId"), message: "no such job" }] };
    }
  }
  const runAt = b.runAt !== undefined ? new Date(b.runAt) : b.delayMs !== undefined && b.delayMs > 0 ? new Date(Date.now() + b.delayMs) : null;
  return {
    ok: true,
    request: {
      orgId, userId,
      type: kind.kind.type,
      subtype: kind.kind.subtype,
      name: b.name ?? `${kind.kind.type}/${kind.kind.subtype}`,
      input: input.data,
      priority: b.priority,
      maxAttempts: b.maxAttempts,
      backoff: b.backoff,
      timeoutMs: b.timeoutMs,
      runAt,
      idempotencyKey: b.idempotencyKey ?? null,
      parentId: b.parentId ?? null,
      groupId: b.groupId ?? null,
      metadata: b.metadata,
      expiresInSeconds: b.expiresInSeconds,
    },
  };
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
async function answers(deps: EnqueueDeps, results: readonly EnqueueResult[]) {
  const readBack = results.filter((r) => r.stored === null).map((r) => r.id);
  const rows = readBack.length === 0 ? [] : await deps.db.job.findMany({ where: { id: { in: readBack } } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const announced: Delivery[] = [];
  const out = results.map((r) => {
    const row = byId.get(r.id);
    let job: JobView | null = row ? toJobView(row) : null;
    if (r.stored !== null) {
      const { row: stored, status, queuedAt, version } = r.stored;
      job = newJobView(stored, status, queuedAt);
      announced.push({
        id: stored.id, version, status, type: stored.type, groupId: stored.groupId, view: job,
        ownership: { orgId: stored.orgId, userId: stored.userId, accessTokenHash: stored.accessTokenHash },
      });
    }
    if (job === null) throw new Error(`job ${r.id} vanished after enqueue`);
    return { job, pollUrl: `/v1/jobs/${r.id}`, streamUrl: `/v1/jobs/${r.id}/stream`, accessToken: r.accessToken };
  });
  await announceStates(deps.producer.connection, deps.producer.prefix, announced.map(toAnnounced));
  return out;
}

/** A stored job's first state, before it reaches Redis. */
function pendingDelivery(row: NewJobRow): Delivery {
  return {
    id: row.id, version: 0n, status: "pending", type: row.type, groupId: row.groupId, view: newJobView(row, "pending", null),
    ownership: { orgId: row.orgId, userId: row.userId, accessTokenHash: row.accessTokenHash },
  };
}

export function enqueueRouter(deps: EnqueueDeps): Router {
  const router = Router();
  const onDispatchError = (error: unknown) => {
    deps.logger.warn({ err: (error as Error).message }, "redis unavailable at enqueue; the outbox will dispatch");
  };
  // Streams get every state in order: `pending` as soon as the row exists (a worker may start the
  // job before the API marks it `queued`), then whatever follows.
  const onStored = (rows: readonly NewJobRow[]) =>
    announceStates(deps.producer.connection, deps.producer.prefix, rows.map((r) => toAnnounced(pendingDelivery(r))));

  router.post("/v1/jobs", async (req, res) => {
    const principal = tokenPrincipal(req);
    const checked = await check(deps, principal, req.body, "");
    if (!checked.ok) throw new ApiError(checked.forbidden ? "forbidden" : "validation_failed", "request is invalid", checked.issues);
    const [result] = await enqueueJobs({ db: deps.pool, producer: deps.producer, onDispatchError, onStored }, [checked.request]);
    if (!result) throw new Error("enqueue returned nothing");
    const [answer] = await answers(deps, [result]);
    res.status(result.created ? 202 : 200).json(answer);
  });

  router.post("/v1/jobs/batch", async (req, res) => {
    const principal = tokenPrincipal(req);
    const { jobs } = parseOr400(batchBodySchema, req.body);
    const checked = await Promise.all(jobs.map((body, i) => check(deps, principal, body, `jobs.${i}`)));
    const issues = checked.flatMap((c) => (c.ok ? [] : c.issues));
    if (issues.length > 0) {
      const forbidden = checked.some((c) => !c.ok && c.forbidden === true);
      throw new ApiError(forbidden ? "forbidden" : "validation_failed", "batch is invalid; nothing was enqueued", issues);
    }
    const requests = checked.flatMap((c) => (c.ok ? [c.request] : []));
    const results = await enqueueJobs({ db: deps.pool, producer: deps.producer, onDispatchError, onStored }, requests);
    res.status(202).json({ jobs: await answers(deps, results) });
  });
  return router;
}
