import { Router, type Request } from "express";
import { z } from "zod";
import { findJobById, findJobsByIds, isFinalStatus, listActiveJobs } from "@jobstream/db";
import { jobStatuses, type JobStatusName } from "@jobstream/db/status";
import { canAccessJob } from "../auth/access";
import { principalOf } from "../auth/authenticate";
import type { Principal } from "../auth/principal";
import { callerKey } from "../http/hardening";
import { scopeOf } from "../auth/scope";
import { ApiError } from "../http/errors";
import { parseOr400 } from "../http/validate";
import { jobIdParamsSchema, tokenOnlyQuerySchema } from "../jobs/schemas";
import type { ChangeHub } from "./change-hub";
import { summaryOf } from "../jobs/job-view";
import { deliveryFromRow, deliveryFromSummary, type Delivery } from "./delivery";
import type { ReadRouting } from "../replica/read-routing";
import { SseStream, type ConnectionLimiter } from "./sse";

export interface StreamDeps {
  readonly reads: ReadRouting;
  readonly hub: ChangeHub;
  readonly keepAliveMs: number;
  readonly maxStreamsPerToken: number;
  /** The per-token cap of open streams, shared with the group streams. */
  readonly limiter: ConnectionLimiter;
}

/** `Last-Event-ID` of a reconnecting EventSource (per-job streams use the job's version). */
function lastVersion(req: Request): bigint {
  const header = req.get("last-event-id");
  return header !== undefined && /^\d{1,19}$/.test(header) ? BigInt(header) : -1n;
}

const streamQuerySchema = z
  .object({
    type: z.string().min(1).max(100).optional(),
    status: z
      .string()
      .transform((v) => v.split(","))
      .pipe(z.array(z.enum(jobStatuses)))
      .optional(),
    groupId: z.string().min(1).max(200).optional(),
  })
  .strict();

export function streamRouter(deps: StreamDeps): Router {
  const router = Router();
  const limiter = deps.limiter;

  const admit = (principal: Principal): (() => void) => {
    const release = limiter.tryOpen(callerKey(principal));
    if (!release) throw new ApiError("rate_limited", `at most ${deps.maxStreamsPerToken} open streams per token`);
    return release;
  };

  /** One job: its current state, then every change until it is final; ids are its versions. */
  router.get("/v1/jobs/:id/stream", async (req, res) => {
    parseOr400(tokenOnlyQuerySchema, req.query);
    const { id } = parseOr400(jobIdParamsSchema, req.params);
    const principal = principalOf(req);
    const [row] = await deps.reads.read(
      req,
      async (r) => (await findJobsByIds(r.db, [id])).summaries,
      (rows) => rows.length === 0,
    );
    if (!row || !canAccessJob(principal, row)) throw new ApiError("not_found", "no such job");
    const release = admit(principal);
    let sent = lastVersion(req);
    let unsubscribe: () => void = () => undefined;
    const stream = new SseStream(res, deps.keepAliveMs, () => {
      release();
      unsubscribe();
    });
    const deliver = (job: Delivery) => {
      // The hub reads the whole row for this stream when it only has a summary.
      if (job.complete !== true || job.version <= sent || stream.isClosed) return;
      sent = job.version;
      stream.send("job", job.version.toString(), job.view);
      if (isFinalStatus(job.status as JobStatusName)) stream.end();
    };
    // Listen first, then read: a change between the two is not lost.
    unsubscribe = deps.hub.add({
      jobId: id,
      deliver,
      close: () => {
        stream.end();
      },
    });
    // As fresh as the primary now: the stream starts from the job's latest state.
    const current = await deps.reads.readCurrent((r) => findJobById(r.db, id));
    if (current) {
      deliver(deliveryFromRow(current));
      if (isFinalStatus(current.status) && current.version <= sent) stream.end();
    }
  });

  /** Every job the caller may see (optionally by type, status, group): active ones first, then changes. */
  router.get("/v1/stream", async (req, res) => {
    const q = parseOr400(streamQuerySchema, req.query);
    const principal = principalOf(req);
    const scope = scopeOf(principal);
    const release = admit(principal);
    const sent = new Map<string, bigint>();
    let unsubscribe: () => void = () => undefined;
    const stream = new SseStream(res, deps.keepAliveMs, () => {
      release();
      unsubscribe();
    });
    const deliver = (job: Delivery) => {
      if (!canAccessJob(principal, job.ownership)) return;
      if (q.type !== undefined && job.type !== q.type) return;
      if (q.status !== undefined && !(q.status as string[]).includes(job.status)) return;
      if (q.groupId !== undefined && job.groupId !== q.groupId) return;
      if (job.version <= (sent.get(job.id) ?? -1n)) return;
      sent.set(job.id, job.version);
      // Forget finished jobs so a long-lived stream does not grow without bound.
      if (isFinalStatus(job.status as JobStatusName)) sent.delete(job.id);
      stream.send("job", `${job.id}:${job.version.toString()}`, summaryOf(job.view));
    };
    unsubscribe = deps.hub.add({
      jobId: null,
      deliver,
      close: () => {
        stream.end();
      },
    });
    const active = await deps.reads.read(req, (r) =>
      listActiveJobs(r.pool, scope, { recentMinutes: 5, hours: 1, limit: 200 }),
    );
    for (const job of active.reverse()) deliver(deliveryFromSummary(job));
  });
  return router;
}
