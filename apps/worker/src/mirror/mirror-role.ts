import type pg from "pg";
import type { Redis } from "ioredis";
import { applyMirrorBatch, isFinalStatus, type MirrorEntry } from "@jobstream/db";
import { jobTypes } from "@jobstream/job-types";
import { announceChanges, decodeStreamEntry, keysFor, MIRROR_CONSUMER, MIRROR_GROUP, scriptPipeline, withScripts, type JobstreamCommands, type Keys } from "@jobstream/queue";
import { createRedis, type Logger } from "@jobstream/runtime";
import { Lease } from "../lease";

export interface MirrorRoleOptions {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly pool: pg.Pool;
  readonly logger: Logger;
  /** Entries per read (and so per Postgres batch). @defaultValue 2000 */
  readonly batchSize?: number;
  /** How long a blocking read waits for new entries. @defaultValue 200 */
  readonly blockMs?: number;
  /** Batch committed: how many entries, and each entry's lag from publish (stream id time) to commit. */
  readonly onBatch?: (info: { entries: number; lagsMs: number[] }) => void;
}

type StreamReply = [key: string, entries: [id: string, fields: string[]][]][] | null;

const LEASE_TTL_MS = 10_000;

/**
 * Applies worker-published events to Postgres. Each queue's stream is owned by one mirror at a
 * time (a lease); entries are read through a consumer group, applied in one transaction per
 * batch, and only then acknowledged and deleted — a mirror that dies re-reads what it had not
 * committed, and the apply is idempotent.
 */
export class MirrorRole {
  private readonly keys: Keys;
  private readonly redis: Redis & JobstreamCommands;
  private readonly reader: Redis;
  private readonly leases: Map<string, Lease>;
  private readonly owned = new Set<string>();
  private readonly pendingDone = new Set<string>();
  private stopping = false;
  private loop: Promise<void> | undefined;
  private leaseTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: MirrorRoleOptions) {
    this.keys = keysFor(options.prefix);
    this.redis = withScripts(createRedis({ url: options.redisUrl, purpose: "worker", connectionName: "jobstream-mirror" }));
    this.reader = createRedis({ url: options.redisUrl, purpose: "worker", connectionName: "jobstream-mirror-read" });
    for (const conn of [this.redis, this.reader]) {
      conn.on("error", (error) => { options.logger.warn({ err: error.message }, "redis connection error"); });
    }
    this.leases = new Map(Object.keys(jobTypes).map((queue) => [queue, new Lease(this.redis, this.keys.mirrorLease(queue), LEASE_TTL_MS)]));
  }

  async start(): Promise<void> {
    await this.refreshLeases();
    this.leaseTimer = setInterval(() => { void this.refreshLeases(); }, LEASE_TTL_MS / 3);
    this.loop = this.run();
  }

  /** Finishes the batch in hand (so what was read is committed), then lets the leases go. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.leaseTimer);
    await this.loop;
    await Promise.all([...this.leases.values()].map((l) => l.release().catch(() => undefined)));
    this.reader.disconnect();
    await this.redis.quit().catch(() => undefined);
  }

  private async refreshLeases(): Promise<void> {
    for (const [queue, lease] of this.leases) {
      try {
        if (await lease.hold()) {
          if (!this.owned.has(queue)) {
            await this.ensureGroup(queue);
            this.pendingDone.delete(queue);
            this.owned.add(queue);
            this.options.logger.info({ queue }, "mirroring queue");
          }
        } else if (this.owned.delete(queue)) {
          this.options.logger.warn({ queue }, "lost mirror lease");
        }
      } catch (error) {
        this.options.logger.warn({ err: (error as Error).message, queue }, "lease refresh failed");
      }
    }
  }

  private async ensureGroup(queue: string): Promise<void> {
    try {
      // From the start of the stream: entries published before any mirror existed count too.
      await this.redis.xgroup("CREATE", this.keys.events(queue), MIRROR_GROUP, "0", "MKSTREAM");
    } catch (error) {
      if (!(error as Error).message.includes("BUSYGROUP")) throw error;
    }
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const queues = [...this.owned];
      if (queues.length === 0) {
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      try {
        await this.step(queues);
      } catch (error) {
        const message = (error as Error).message;
        if (message.includes("NOGROUP")) {
          // The stream was deleted (Redis lost data): recreate it; the reconciler repairs the rest.
          for (const queue of queues) { await this.ensureGroup(queue); this.pendingDone.delete(queue); }
        } else {
          this.options.logger.error({ err: error }, "mirror batch failed; retrying");
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    }
  }

  /** One batch: entries left unacknowledged by an earlier owner first, then new ones. */
  private async step(queues: string[]): Promise<void> {
    const count = this.options.batchSize ?? 2000;
    const recovering = queues.filter((q) => !this.pendingDone.has(q));
    const streams = (recovering.length > 0 ? recovering : queues).map((q) => this.keys.events(q));
    const ids = streams.map(() => (recovering.length > 0 ? "0" : ">"));
    const reply = (recovering.length > 0
      ? await this.reader.xreadgroup("GROUP", MIRROR_GROUP, MIRROR_CONSUMER, "COUNT", count, "STREAMS", ...streams, ...ids)
      : await this.reader.xreadgroup("GROUP", MIRROR_GROUP, MIRROR_CONSUMER, "COUNT", count, "BLOCK", this.options.blockMs ?? 200, "STREAMS", ...streams, ...ids)) as StreamReply;

    const byStream = new Map<string, string[]>();
    const entries: MirrorEntry[] = [];
    const finished: { seqKey: string; jobId: string; seq: number }[] = [];
    for (const [key, list] of reply ?? []) {
      byStream.set(key, list.map(([id]) => id));
      const seqKey = this.keys.seq(key.slice(key.lastIndexOf(":") + 1));
      for (const [, fields] of list) {
        const entry = decodeStreamEntry(fields);
        if (!entry) {
          this.options.logger.error({ stream: key }, "dropping malformed event entry");
          continue;
        }
        entries.push(entry);
        if (entry.snapshot !== null && isFinalStatus(entry.snapshot.status)) finished.push({ seqKey, jobId: entry.jobId, seq: entry.seq });
      }
    }
    if (recovering.length > 0) {
      for (const queue of recovering) {
        const list = byStream.get(this.keys.events(queue)) ?? [];
        if (list.length === 0) this.pendingDone.add(queue);
      }
    }
    if (entries.length === 0 && byStream.size === 0) return;

    // One statement, atomic on its own: no BEGIN/COMMIT round trips.
    if (entries.length > 0) await applyMirrorBatch(this.options.pool, entries);
    const committed = Date.now();
    const pipeline = scriptPipeline(this.redis);
    for (const [key, list] of byStream) {
      if (list.length === 0) continue;
      pipeline.xack(key, MIRROR_GROUP, ...list);
      pipeline.xdel(key, ...list);
    }
    // Finished jobs no longer need their sequence counter (a retry re-seeds it from the row).
    for (const f of finished) pipeline.jobstreamForget(f.seqKey, f.jobId, f.seq);
    await pipeline.exec();
    await announceChanges(this.redis, this.options.prefix, entries.map((e) => e.jobId));
    // A stream entry id starts with the Redis time (ms) it was added at.
    const lagsMs = [...byStream.values()].flat().map((id) => committed - Number(id.split("-")[0]));
    this.options.onBatch?.({ entries: entries.length, lagsMs });
  }
}
