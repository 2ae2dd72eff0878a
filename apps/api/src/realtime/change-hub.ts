import { z } from "zod";
import { findJobsByIds } from "@jobstream/db";
import { keysFor } from "@jobstream/queue";
import { createRedis, errorListener, type Logger, type OutageReporter, type Redis } from "@jobstream/runtime";
import type { ReadRouting } from "../replica/read-routing";
import { announcedStateSchema, deliveryFromRow, deliveryFromSummary, fromAnnounced, type Delivery } from "./delivery";

const announcementSchema = z.object({
  ids: z.array(z.string()).optional(),
  states: z.array(announcedStateSchema).optional(),
});

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Someone listening: one job's stream, or every job a caller may see (`jobId` null). */
export interface Listener {
  readonly jobId: string | null;
  /** Called with a state of the job; the listener skips versions it already sent. */
  deliver(delivery: Delivery): void;
  /** Ends the stream (shutdown: clients reconnect to another API process). */
  close(): void;
}

/**
 * Fans row changes out to this process's SSE listeners. Writers announce changed job ids on a
 * Redis channel after they commit; every API process hears every announcement, re-reads the
 * changed rows from Postgres at most once per tick (so progress bursts coalesce), and hands them
 * to its listeners. Several API processes therefore stream the same changes. It reads only what
 * streams send: `input` and `output` only for jobs someone streams by id, summaries otherwise.
 */
export class ChangeHub {
  private readonly subscriber: Redis;
  private readonly byJob = new Map<string, Set<Listener>>();
  private readonly everything = new Set<Listener>();
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  /** When each recently changed job was last read; entries older than a tick are dropped. */
  private lastRead = new Map<string, number>();

  constructor(
    private readonly deps: {
      /** Changed rows are read from the replica once it has replayed what the primary had at the read. */
      readonly reads: ReadRouting;
      readonly redisUrl: string;
      readonly prefix: string;
      readonly logger: Logger;
      readonly tickMs: number;
      readonly outages: OutageReporter;
    },
  ) {
    this.subscriber = createRedis({ url: deps.redisUrl, purpose: "worker", connectionName: "jobstream-api-changes" });
    this.subscriber.on("error", errorListener(deps.outages, deps.logger, "redis connection error"));
  }

  /**
   * Subscribes without waiting: the API serves (and enqueues) while Redis is down; ioredis
   * re-subscribes when it is back.
   */
  start(): void {
    this.subscriber.subscribe(keysFor(this.deps.prefix).changesChannel()).catch((error: unknown) => {
      this.deps.logger.warn({ err: (error as Error).message }, "could not subscribe to job changes yet");
    });
    this.subscriber.on("message", (_channel, message: string) => {
      // No stream open in this process: nothing to deliver, so not even worth parsing (enqueue
      // batches announce a thousand job states at a time).
      if (this.everything.size === 0 && this.byJob.size === 0) return;
      const parsed = announcementSchema.safeParse(safeJson(message));
      if (!parsed.success) return;
      for (const state of parsed.data.states ?? []) this.dispatch(fromAnnounced(state));
      this.schedule(parsed.data.ids ?? []);
    });
  }

  /** Reads these jobs soon: a job's first change in a tick at once, later ones coalesced. */
  private schedule(ids: readonly string[]): void {
    const now = Date.now();
    let urgent = false;
    for (const id of ids) {
      if (this.everything.size === 0 && !this.byJob.has(id)) continue;
      this.pending.add(id);
      // Per job, a throttle with a leading edge: a job's first change in a tick is read at
      // once (so short-lived states such as `queued` reach clients), later ones coalesce.
      if (now - (this.lastRead.get(id) ?? 0) >= this.deps.tickMs) urgent = true;
    }
    if (this.pending.size === 0) return;
    if (urgent) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        void this.flush();
      }, 0);
    } else {
      this.timer ??= setTimeout(() => {
        void this.flush();
      }, this.deps.tickMs);
    }
  }

  /** Ends every open stream and stops listening. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    for (const listener of [...this.everything, ...[...this.byJob.values()].flatMap((s) => [...s])]) listener.close();
    this.subscriber.disconnect();
    await Promise.resolve();
  }

  add(listener: Listener): () => void {
    if (listener.jobId === null) this.everything.add(listener);
    else {
      const set = this.byJob.get(listener.jobId) ?? new Set<Listener>();
      set.add(listener);
      this.byJob.set(listener.jobId, set);
    }
    return () => {
      if (listener.jobId === null) this.everything.delete(listener);
      else {
        const set = this.byJob.get(listener.jobId);
        set?.delete(listener);
        if (set?.size === 0) this.byJob.delete(listener.jobId);
      }
    };
  }

  /**
   * Hands a state to this process's listeners of the job. A summary (an announced state) cannot
   * serve a per-job stream, which sends the whole view: the row is read for those instead.
   */
  dispatch(delivery: Delivery): void {
    const ofJob = this.byJob.get(delivery.id);
    if (ofJob !== undefined && ofJob.size > 0) {
      if (delivery.complete === true) for (const listener of ofJob) listener.deliver(delivery);
      else this.schedule([delivery.id]);
    }
    for (const listener of this.everything) listener.deliver(delivery);
  }

  get listeners(): number {
    let n = this.everything.size;
    for (const set of this.byJob.values()) n += set.size;
    return n;
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const now = Date.now();
    const ids = [...this.pending];
    this.pending = new Set();
    if (ids.length === 0) return;
    for (const [id, at] of this.lastRead) if (now - at >= this.deps.tickMs) this.lastRead.delete(id);
    for (const id of ids) this.lastRead.set(id, now);
    try {
      const streamedById = new Set(ids.filter((id) => this.byJob.has(id)));
      const { full, summaries } = await this.deps.reads.readCurrent((r) => findJobsByIds(r.db, ids, streamedById));
      for (const row of full) this.dispatch(deliveryFromRow(row));
      for (const row of summaries) this.dispatch(deliveryFromSummary(row));
    } catch (error) {
      if (!this.deps.outages.noteError(error))
        this.deps.logger.warn({ err: (error as Error).message }, "could not read changed jobs");
    }
  }
}
