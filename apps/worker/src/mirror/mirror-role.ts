import type pg from "pg";
import type { Redis } from "ioredis";
import type { DeadLetter } from "@jobstream/db";
import { keysFor, withScripts } from "@jobstream/queue";
import { createRedis, errorListener, type Logger, type OutageReporter } from "@jobstream/runtime";
import { BatchReader, type Batch } from "./batch-reader";
import { acknowledgeBatch, applyBatch, type CommitDeps } from "./commit-batch";
import { StreamLeases } from "./stream-leases";
import type { StreamSlot } from "./stream-slot";

export interface MirrorRoleOptions {
  readonly redisUrl: string;
  readonly prefix: string;
  /** `MIRROR_SHARDS`: the shards of each queue's stream that mirror processes share. */
  readonly mirrorShards: number;
  /** Time to live of a mirror's shard leases and registry entry: how soon a dead mirror's shards move. @defaultValue 10000 */
  readonly leaseMs?: number;
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

/** Pause after a failed batch, doubling per consecutive failure up to the maximum. */
const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 5000;
/** How long a stop waits for the batch in hand before giving up on a Redis that is out. */
const STOP_WAIT_MS = 2000;
/** Batches a stop applies at most after the loop ended (what was published before the stop). */
const DRAIN_ROUNDS = 5;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Applies worker-published events to Postgres. Each shard of a queue's stream is owned by one
 * mirror at a time (a lease; mirrors share a queue's shards); entries are read through a consumer group, applied in one statement per batch,
 * and only then acknowledged and deleted — a mirror that dies re-reads what it had not
 * committed, and the apply is idempotent.
 */
export class MirrorRole {
  private readonly redis: Redis;
  private readonly reader: Redis;
  private readonly leases: StreamLeases;
  private readonly batches: BatchReader;
  private readonly commit: CommitDeps;
  private stopping = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: MirrorRoleOptions) {
    const keys = keysFor(options.prefix);
    const redis = withScripts(
      createRedis({ url: options.redisUrl, purpose: "worker", connectionName: "jobstream-mirror" }),
    );
    this.redis = redis;
    this.reader = createRedis({ url: options.redisUrl, purpose: "worker", connectionName: "jobstream-mirror-read" });
    for (const conn of [this.redis, this.reader])
      conn.on("error", errorListener(options.outages, options.logger, "redis connection error"));
    this.batches = new BatchReader(this.reader, options.batchSize ?? 2000, options.blockMs ?? 200);
    this.leases = new StreamLeases(
      redis,
      keys,
      options.mirrorShards,
      options.leaseMs ?? 10_000,
      options.logger,
      options.outages,
      (slot) => {
        this.batches.recover(slot);
      },
    );
    this.commit = { ...options, redis };
  }

  async start(): Promise<void> {
    // Waits while Redis is out (these connections queue commands until it is back).
    await this.leases.start();
    this.loop = this.run();
  }

  /** Finishes the batch in hand (so what was read is committed), then lets the leases go. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.leases.stop();
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
    await this.leases.release();
    this.reader.disconnect();
    await this.redis.quit().catch(() => undefined);
  }

  private async run(): Promise<void> {
    // While a batch is applied, the next one is already being read, and the previous one is
    // being acknowledged: Redis round trips overlap the Postgres statement instead of adding to it.
    let prefetched: { slots: string; batch: Promise<Batch> } | null = null;
    let finishing: Promise<void> = Promise.resolve();
    let failures = 0;
    while (!this.stopping) {
      const slots = this.leases.slots();
      if (slots.length === 0) {
        await sleep(200);
        continue;
      }
      try {
        const key = slots.map((s) => s.name).join(",");
        if (prefetched !== null && prefetched.slots !== key) {
          // The owned shards changed: what was read ahead stays pending, so read pending entries first.
          await prefetched.batch.catch(() => undefined);
          prefetched = null;
          this.batches.recoverAll();
        }
        const batch = prefetched?.batch !== undefined ? await prefetched.batch : await this.batches.read(slots);
        prefetched = null;
        // Only new entries ('>') can be read ahead: re-reading pending ones would return these again.
        if (batch.recovering.length === 0 && batch.entries.length > 0) {
          const ahead = this.batches.read(slots);
          // Handled now, awaited later: a read ahead that fails while the batch is applied (Redis
          // went out) must not surface as an unhandled rejection and end the process.
          ahead.catch(() => undefined);
          prefetched = { slots: key, batch: ahead };
        }
        // One statement, atomic on its own: no BEGIN/COMMIT round trips.
        await applyBatch(this.commit, batch);
        const committed = Date.now();
        await finishing;
        finishing = acknowledgeBatch(this.commit, batch, committed);
        finishing.catch(() => undefined);
        failures = 0;
      } catch (error) {
        // A batch read ahead, or not acknowledged, stays pending in the group: read those again first.
        await prefetched?.batch.catch(() => undefined);
        prefetched = null;
        await finishing.catch(() => undefined);
        finishing = Promise.resolve();
        this.batches.recoverAll();
        // stop() may have been called while this batch was in flight: no back-off then.
        // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- set by stop() during the awaits above
        if (this.stopping) break;
        failures++;
        await this.backOff(error, slots, failures);
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

  /** After a failed batch: says so once per run of failures, repairs what it can, and waits longer each time. */
  private async backOff(error: unknown, slots: readonly StreamSlot[], failures: number): Promise<void> {
    if ((error as Error).message.includes("NOGROUP")) {
      // The stream was deleted (Redis came back empty): recreate the groups; the reconciler repairs the rest.
      const streams = slots.map((s) => s.name);
      if (failures === 1) this.options.logger.warn({ streams }, "mirror consumer group gone; recreating it");
      await this.leases.recreateGroups(slots);
    } else if (!this.options.outages.noteError(error) && failures === 1) {
      this.options.logger.error({ err: error }, "mirror batch failed; retrying");
    }
    await sleep(Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.min(failures - 1, 10)));
  }

  /**
   * On stop: applies the batch read ahead and whatever is still unread, so the events published
   * before the stop (those of jobs this process's work role just handed back) reach Postgres now,
   * not when another mirror takes the stream over. stop() bounds how long this may take.
   */
  private async drain(readAhead: Promise<Batch> | undefined): Promise<void> {
    const slots = this.leases.slots();
    let next = readAhead;
    for (let round = 0; round < DRAIN_ROUNDS && slots.length > 0; round++) {
      const batch = await (next ?? this.batches.read(slots));
      next = undefined;
      if (batch.sourced.length === 0 && batch.malformed.length === 0) return;
      await applyBatch(this.commit, batch);
      await acknowledgeBatch(this.commit, batch, Date.now());
    }
  }
}
