import type pg from "pg";
import type { Redis } from "ioredis";
import { applyMirrorBatch, isFinalStatus, recordDeadLetters, type DeadLetter, type MirrorEntry } from "@jobstream/db";
import { jobTypes } from "@jobstream/job-types";
import {
  announceChanges,
  keysFor,
  parseStreamEntry,
  postgresSafeText,
  MIRROR_CONSUMER,
  MIRROR_GROUP,
  scriptPipeline,
  withScripts,
  type JobstreamCommands,
  type Keys,
} from "@jobstream/queue";
import { createRedis, errorListener, type Logger, type OutageReporter } from "@jobstream/runtime";
import { Lease } from "../lease";
import { applyIsolating, type Rejected, type SourcedEntry } from "./apply-isolating";

export interface MirrorRoleOptions {
  readonly redisUrl: string;
  readonly prefix: string;
  readonly pool: pg.Pool;
  readonly logger: Logger;
  /** Told about failures, so an outage is logged once (by the watch), not once per retry. */
  readonly outages: OutageReporter;
  /** Entries per read (and so per Postgres batch). @defaultValue 2000 */
  readonly batchSize?: number;
  /** How long a blocking read waits for new entries. @defaultValue 200 */
  readonly blockMs?: number;
  /** Batch committed: how many entries, and each entry's lag from publish (stream id time) to commit. */
  readonly onBatch?: (info: { entries: number; lagsMs: number[] }) => void;
  /** An entry set aside for good (malformed, refused by Postgres, or naming no job): once per entry. */
  readonly onDeadLetter?: (letter: DeadLetter) => void;
}

type StreamReply = [key: string, entries: [id: string, fields: string[]][]][] | null;

/** What one read returned, grouped for the apply and the acknowledgement. */
interface Batch {
  /** Queues whose pending entries (left by an earlier owner or a failed batch) were read. */
  readonly recovering: readonly string[];
  readonly byStream: ReadonlyMap<string, string[]>;
  readonly entries: MirrorEntry[];
  /** The decoded entries with their stream ids, in stream order. */
  readonly sourced: readonly SourcedEntry[];
  /** Entries that failed to decode: they go straight to the dead letters. */
  readonly malformed: readonly Rejected[];
  readonly finished: readonly { seqKey: string; jobId: string; seq: number }[];
}

const LEASE_TTL_MS = 10_000;
/** Pause after a failed batch, doubling per consecutive failure up to the maximum. */
const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 5000;

/** How long a stop waits for the batch in hand before giving up on a Redis that is out. */
const STOP_WAIT_MS = 2000;
/** Batches a stop applies at most after the loop ended (what was published before the stop). */
const DRAIN_ROUNDS = 5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
  private refreshing: Promise<void> | undefined;

  constructor(private readonly options: MirrorRoleOptions) {
    this.keys = keysFor(options.prefix);
    this.redis = withScripts(
      createRedis({ url: options.redisUrl, purpose: "worker", connectionName: "jobstream-mirror" }),
    );
    this.reader = createRedis({ url: options.redisUrl, purpose: "worker", connectionName: "jobstream-mirror-read" });
    for (const conn of [this.redis, this.reader])
      conn.on("error", errorListener(options.outages, options.logger, "redis connection error"));
    this.leases = new Map(
      Object.keys(jobTypes).map((queue) => [queue, new Lease(this.redis, this.keys.mirrorLease(queue), LEASE_TTL_MS)]),
    );
  }

  async start(): Promise<void> {
    // Waits while Redis is out (these connections queue commands until it is back).
    await this.refreshLeases();
    this.leaseTimer = setInterval(() => {
      // One refresh at a time: during an outage they would pile up behind each other.
      this.refreshing ??= this.refreshLeases().finally(() => {
        this.refreshing = undefined;
      });
    }, LEASE_TTL_MS / 3);
    this.loop = this.run();
  }

  /** Finishes the batch in hand (so what was read is committed), then lets the leases go. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.leaseTimer);
    const drained = await Promise.race([
      (this.loop ?? Promise.resolve()).then(() => true),
      sleep(STOP_WAIT_MS).then(() => false),
    ]);
    if (!drained) {
      // Redis is out: what was read stays pending (re-read by the next owner) and the leases expire
      // on their own. The loop is left waiting on commands that will never be sent (ioredis keeps
      // them queued while it is between reconnects); the process is ending anyway.
      this.options.logger.warn("mirror stopped without draining (Redis unreachable); its entries stay pending");
      this.reader.disconnect();
      this.redis.disconnect();
      return;
    }
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
        if (!this.options.outages.noteError(error))
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

  /** Never throws: a group that cannot be created yet (Redis still out) is tried again next round. */
  private async recreateGroups(queues: readonly string[]): Promise<void> {
    for (const queue of queues) {
      try {
        await this.ensureGroup(queue);
      } catch (error) {
        if (!this.options.outages.noteError(error))
          this.options.logger.warn({ err: (error as Error).message, queue }, "could not recreate the consumer group");
      }
    }
  }

  private async run(): Promise<void> {
    // While a batch is applied, the next one is already being read, and the previous one is
    // being acknowledged: Redis round trips overlap the Postgres statement instead of adding to it.
    let prefetched: { queues: string; batch: Promise<Batch> } | null = null;
    let finishing: Promise<void> = Promise.resolve();
    let failures = 0;
    while (!this.stopping) {
      const queues = [...this.owned];
      if (queues.length === 0) {
        await new Promise((r) => setTimeout(r, 200));
        continue;
      }
      try {
        const key = queues.join(",");
        if (prefetched !== null && prefetched.queues !== key) {
          // The owned queues changed: what was read ahead stays pending, so read pending entries first.
          await prefetched.batch.catch(() => undefined);
          prefetched = null;
          this.pendingDone.clear();
        }
        const batch = prefetched?.batch !== undefined ? await prefetched.batch : await this.read(queues);
        prefetched = null;
        // Only new entries ('>') can be read ahead: re-reading pending ones would return these again.
        if (batch.recovering.length === 0 && batch.entries.length > 0) {
          const ahead = this.read(queues);
          // Handled now, awaited later: a read ahead that fails while the batch is applied (Redis
          // went out) must not surface as an unhandled rejection and end the process.
          ahead.catch(() => undefined);
          prefetched = { queues: key, batch: ahead };
        }
        // One statement, atomic on its own: no BEGIN/COMMIT round trips.
        if (batch.sourced.length > 0 || batch.malformed.length > 0) await this.apply(batch);
        const committed = Date.now();
        await finishing;
        finishing = this.finish(batch, committed);
        finishing.catch(() => undefined);
        failures = 0;
      } catch (error) {
        // A batch read ahead, or not acknowledged, stays pending in the group: read those again first.
        await prefetched?.batch.catch(() => undefined);
        prefetched = null;
        await finishing.catch(() => undefined);
        finishing = Promise.resolve();
        this.pendingDone.clear();
        // stop() may have been called while this batch was in flight: no back-off then.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by stop() during the awaits above
        if (this.stopping) break;
        failures++;
        const message = (error as Error).message;
        if (message.includes("NOGROUP")) {
          // The stream was deleted (Redis came back empty): recreate the groups; the reconciler repairs the rest.
          if (failures === 1) this.options.logger.warn({ queues }, "mirror consumer group gone; recreating it");
          await this.recreateGroups(queues);
        } else if (!this.options.outages.noteError(error) && failures === 1) {
          this.options.logger.error({ err: error }, "mirror batch failed; retrying");
        }
        await sleep(Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.min(failures - 1, 10)));
      }
    }
    await finishing.catch((error: unknown) => {
      this.options.logger.warn(
        { err: (error as Error).message },
        "last acknowledgement failed; its entries are re-read",
      );
    });
    try {
      await this.drain(prefetched?.batch);
    } catch (error) {
      // Left pending, they are read again by the next owner.
      const err = (error as Error).message;
      this.options.logger.warn({ err }, "mirror could not apply its last entries before stopping; they stay pending");
    }
  }

  /**
   * On stop: applies the batch read ahead and whatever is still unread, so the events published
   * before the stop (those of jobs this process's work role just handed back) reach Postgres now,
   * not when another mirror takes the stream over. stop() bounds how long this may take.
   */
  private async drain(readAhead: Promise<Batch> | undefined): Promise<void> {
    const queues = [...this.owned];
    let next = readAhead;
    for (let round = 0; round < DRAIN_ROUNDS && queues.length > 0; round++) {
      const batch = await (next ?? this.read(queues));
      next = undefined;
      if (batch.sourced.length === 0 && batch.malformed.length === 0) return;
      await this.apply(batch);
      await this.finish(batch, Date.now());
    }
  }

  /** One batch: entries left unacknowledged by an earlier owner first, then new ones. */
  private async read(queues: string[]): Promise<Batch> {
    const count = this.options.batchSize ?? 2000;
    const recovering = queues.filter((q) => !this.pendingDone.has(q));
    const streams = (recovering.length > 0 ? recovering : queues).map((q) => this.keys.events(q));
    const ids = streams.map(() => (recovering.length > 0 ? "0" : ">"));
    const reply = (
      recovering.length > 0
        ? await this.reader.xreadgroup(
            "GROUP",
            MIRROR_GROUP,
            MIRROR_CONSUMER,
            "COUNT",
            count,
            "STREAMS",
            ...streams,
            ...ids,
          )
        : await this.reader.xreadgroup(
            "GROUP",
            MIRROR_GROUP,
            MIRROR_CONSUMER,
            "COUNT",
            count,
            "BLOCK",
            this.options.blockMs ?? 200,
            "STREAMS",
            ...streams,
            ...ids,
          )
    ) as StreamReply;

    const byStream = new Map<string, string[]>();
    const entries: MirrorEntry[] = [];
    const sourced: SourcedEntry[] = [];
    const malformed: Rejected[] = [];
    const finished: { seqKey: string; jobId: string; seq: number }[] = [];
    for (const [key, list] of reply ?? []) {
      byStream.set(
        key,
        list.map(([id]) => id),
      );
      const queue = key.slice(key.lastIndexOf(":") + 1);
      const seqKey = this.keys.seq(queue);
      for (const [streamId, fields] of list) {
        const decoded = parseStreamEntry(fields);
        if (!decoded.ok) {
          malformed.push({ queue, streamId, fields, error: decoded.error });
          continue;
        }
        const entry = decoded.entry;
        entries.push(entry);
        sourced.push({ queue, streamId, fields, entry });
        if (entry.snapshot !== null && isFinalStatus(entry.snapshot.status))
          finished.push({ seqKey, jobId: entry.jobId, seq: entry.seq });
      }
    }
    for (const queue of recovering) {
      const list = byStream.get(this.keys.events(queue)) ?? [];
      if (list.length === 0) this.pendingDone.add(queue);
    }
    return { recovering, byStream, entries, sourced, malformed, finished };
  }

  /**
   * Applies a batch so that no entry can hold it up: what Postgres refuses as data is isolated,
   * and it, the malformed entries and those naming no job become dead letters — stored before the
   * batch is acknowledged, so none is lost. An outage throws: the whole batch is read again.
   */
  private async apply(batch: Batch): Promise<void> {
    const refused = await applyIsolating((entries) => applyMirrorBatch(this.options.pool, entries), batch.sourced);
    const rejected = [...batch.malformed, ...refused];
    if (rejected.length === 0) return;
    const stored = await recordDeadLetters(
      this.options.pool,
      rejected.map((r) => ({
        queue: r.queue,
        streamId: r.streamId,
        jobId: jobIdOf(r.fields),
        raw: rawText(r.fields),
        error: postgresSafeText(r.error),
      })),
    );
    for (const letter of stored) {
      this.options.logger.error(
        { queue: letter.queue, streamId: letter.streamId, jobId: letter.jobId, reason: letter.error },
        "mirror entry set aside as a dead letter",
      );
      this.options.onDeadLetter?.(letter);
    }
  }

  /** After the batch is committed: acknowledge and delete its entries, then announce the changes. */
  private async finish(batch: Batch, committed: number): Promise<void> {
    const pipeline = scriptPipeline(this.redis);
    let commands = 0;
    for (const [key, list] of batch.byStream) {
      if (list.length === 0) continue;
      pipeline.xack(key, MIRROR_GROUP, ...list);
      pipeline.xdel(key, ...list);
      commands++;
    }
    // Finished jobs no longer need their sequence counter (a retry re-seeds it from the row).
    for (const f of batch.finished) pipeline.jobstreamForget(f.seqKey, f.jobId, f.seq);
    if (commands === 0 && batch.finished.length === 0) return;
    await pipeline.exec();
    await announceChanges(
      this.redis,
      this.options.prefix,
      batch.entries.map((e) => e.jobId),
    );
    // A stream entry id starts with the Redis time (ms) it was added at.
    const lagsMs = [...batch.byStream.values()].flat().map((id) => committed - Number(id.split("-")[0]));
    this.options.onBatch?.({ entries: batch.entries.length, lagsMs });
  }
}

/** The entry's fields as JSON text: JSON.stringify escapes NUL and lone surrogates, so Postgres takes it. */
function rawText(fields: readonly string[]): string {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) pairs.push([fields[i] ?? "", fields[i + 1] ?? ""]);
  // fromEntries defines own properties: a field named "__proto__" stays a field.
  return JSON.stringify(Object.fromEntries(pairs));
}

function jobIdOf(fields: readonly string[]): string | null {
  const index = fields.findIndex((f, i) => i % 2 === 0 && f === "j");
  const id = index >= 0 ? fields[index + 1] : undefined;
  return id === undefined ? null : postgresSafeText(postgresSafeText(id).slice(0, 200));
}
