import { Router } from "express";
import type { GroupView } from "@jobstream/contract";
import { readGroupView } from "@jobstream/db";
import { canAccessJob } from "../auth/access";
import { callerKey } from "../http/hardening";
import { ApiError } from "../http/errors";
import type { ChangeHub } from "../realtime/change-hub";
import type { Delivery } from "../realtime/delivery";
import type { ReadRouting } from "../replica/read-routing";
import { type ConnectionLimiter, SseStream } from "../realtime/sse";
import { groupRequestOf } from "./group-scope";

export interface GroupStreamDeps {
  readonly reads: ReadRouting;
  readonly hub: ChangeHub;
  readonly keepAliveMs: number;
  /** Shared with the job streams: one cap of open streams per token. */
  readonly limiter: ConnectionLimiter;
  readonly maxStreamsPerToken: number;
}

/**
 * `GET /v1/groups/:groupId/stream`: the group's current view, then a new view whenever a job of it
 * the caller may see changes, until every such job is final (like a job's stream ends at its final
 * state). Changes arrive through the same hub as the job streams; a burst of them costs one read of
 * the counts at a time (a change during a read asks for one more read, never one per change).
 */
export function groupStreamRouter(deps: GroupStreamDeps): Router {
  const router = Router();

  router.get("/v1/groups/:groupId/stream", async (req, res) => {
    const request = groupRequestOf(req);
    const first = await deps.reads.read(
      req,
      (r) => readGroupView(r.pool, request.groupId, request.scope),
      (view) => view === null,
    );
    if (first === null) throw new ApiError("not_found", "no such group");
    const release = deps.limiter.tryOpen(callerKey(request.principal));
    if (!release) throw new ApiError("rate_limited", `at most ${deps.maxStreamsPerToken} open streams per token`);
    let unsubscribe: () => void = () => undefined;
    const stream = new SseStream(res, deps.keepAliveMs, () => {
      release();
      unsubscribe();
    });
    let sent = "";
    let version = 0;
    const send = (view: GroupView | null) => {
      if (view === null) {
        stream.end();
        return;
      }
      const text = JSON.stringify(view);
      // A change of a job that moves no count (a step name, an item) leaves the view as it was.
      if (text === sent) return;
      sent = text;
      version += 1;
      stream.send("group", version.toString(), view);
      if (view.finishedAt !== null) stream.end();
    };
    // Relevant changes heard so far; one read at a time catches up with all of them.
    let changes = 0;
    let reading = false;
    const reread = async (): Promise<void> => {
      if (reading) return;
      reading = true;
      try {
        let seen = -1;
        while (seen !== changes && !stream.isClosed) {
          seen = changes;
          // As fresh as the primary at this read: the change that asked for it is in it.
          send(await deps.reads.readCurrent((r) => readGroupView(r.pool, request.groupId, request.scope)));
        }
      } catch {
        // Postgres out: the client's EventSource reconnects and starts from the current view.
        stream.end();
      } finally {
        reading = false;
      }
    };
    const deliver = (job: Delivery) => {
      if (stream.isClosed || job.groupId !== request.groupId) return;
      if (!canAccessJob(request.principal, job.ownership)) return;
      if (request.scope.orgId !== null && job.ownership.orgId !== request.scope.orgId) return;
      changes += 1;
      void reread();
    };
    // Listen first, then read again: a change between the first read and the subscription is not lost.
    unsubscribe = deps.hub.add({
      jobId: null,
      deliver,
      close: () => {
        stream.end();
      },
    });
    send(first);
    if (!stream.isClosed) void reread();
  });
  return router;
}
