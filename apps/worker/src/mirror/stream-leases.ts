import type { Redis } from "ioredis";
import { jobTypes } from "@jobstream/job-types";
import { MIRROR_GROUP, withScripts, type Keys } from "@jobstream/queue";
import type { Logger, OutageReporter } from "@jobstream/runtime";
import { Lease } from "../lease";
import { MirrorRegistry } from "./mirror-registry";
import { planShards } from "./shard-plan";
import { streamSlot, type StreamSlot } from "./stream-slot";

/** Rounds (renewals, joining mirrors' rebalancing) come every third of the TTL, at least every third of this. */
const MAX_ROUND_TTL_MS = 10_000;

/**
 * Which shards of the queues' event streams this mirror owns: one lease per shard, renewed every
 * third of its time to live, so each shard has one mirror at a time. Mirrors register as live and
 * each holds at most its fair share of a queue's shards (`planShards`); a dead mirror's shards
 * pass to the others within the TTL (plus one round). Shards of another `MIRROR_SHARDS` layout
 * are drained while they hold entries. A shard taken over gets its consumer group first.
 */
export class StreamLeases {
  private readonly redis;
  private readonly leases = new Map<string, { slot: StreamSlot; lease: Lease }>();
  private readonly owned = new Map<string, StreamSlot>();
  /** Shards given up last round: their leases go this round, once the batch in hand is done with them. */
  private readonly releasing = new Set<string>();
  private readonly registry: MirrorRegistry;
  private readonly queueNames = Object.keys(jobTypes);
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(
    redis: Redis,
    private readonly keys: Keys,
    /** `MIRROR_SHARDS` of this process. */
    private readonly shards: number,
    /** A dead mirror's shards pass to the others after this long (plus one renewal round). */
    private readonly ttlMs: number,
    private readonly logger: Logger,
    private readonly outages: OutageReporter,
    /** A shard this mirror just took over: its pending entries (an earlier owner's) are read first. */
    private readonly onTaken: (slot: StreamSlot) => void,
  ) {
    this.redis = withScripts(redis);
    this.registry = new MirrorRegistry(redis, keys.mirrors(), ttlMs);
  }

  /** The shards owned now, in a stable order (their names are the read-ahead's key). */
  slots(): StreamSlot[] {
    return [...this.owned.values()];
  }

  /** Takes what leases it can, then keeps renewing them. Waits while Redis is out. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(
      () => {
        // One refresh at a time: during an outage they would pile up behind each other.
        this.refreshing ??= this.refresh().finally(() => {
          this.refreshing = undefined;
        });
      },
      Math.min(this.ttlMs, MAX_ROUND_TTL_MS) / 3,
    );
  }

  /** Stops renewing; the leases expire on their own unless released. */
  stop(): void {
    clearInterval(this.timer);
  }

  async release(): Promise<void> {
    const releases = [...this.leases.values()].map((l) => l.lease.release());
    await Promise.all([...releases, this.registry.leave()].map((p) => p.catch(() => undefined)));
  }

  /** Never throws: a group that cannot be created yet (Redis still out) is tried again next round. */
  async recreateGroups(slots: readonly StreamSlot[]): Promise<void> {
    for (const slot of slots) {
      try {
        await this.ensureGroup(slot);
      } catch (error) {
        if (!this.outages.noteError(error))
          this.logger.warn(
            { err: (error as Error).message, stream: slot.name },
            "could not recreate the consumer group",
          );
      }
    }
  }

  private async refresh(): Promise<void> {
    let live: number;
    let leftovers: Map<string, number[]>;
    try {
      for (const name of this.releasing) {
        const entry = this.leases.get(name);
        if (entry !== undefined && !this.owned.has(name)) await entry.lease.release();
        this.releasing.delete(name);
      }
      live = await this.registry.heartbeat();
      const announced = await this.redis.jobstreamRaiseShards(this.keys.mirrorShards(), this.shards);
      leftovers = await this.leftovers(announced);
    } catch (error) {
      this.refreshFailed(error);
      return;
    }
    for (const queue of this.queueNames) {
      try {
        await this.refreshQueue(queue, live, leftovers.get(queue) ?? []);
      } catch (error) {
        this.refreshFailed(error, queue);
      }
    }
  }

  private refreshFailed(error: unknown, queue?: string): void {
    if (!this.outages.noteError(error))
      this.logger.warn({ err: (error as Error).message, queue }, "mirror lease refresh failed");
  }

  /** Per queue, the shards beyond this layout (another process's, or an earlier one's) that hold entries. */
  private async leftovers(announced: number): Promise<Map<string, number[]>> {
    const found = new Map<string, number[]>();
    if (announced <= this.shards) return found;
    for (const queue of this.queueNames) {
      for (let shard = this.shards; shard < announced; shard++) {
        if ((await this.redis.xlen(this.keys.events(queue, shard))) > 0)
          found.set(queue, [...(found.get(queue) ?? []), shard]);
      }
    }
    return found;
  }

  private async refreshQueue(queue: string, liveMirrors: number, leftovers: readonly number[]): Promise<void> {
    const owned = [...this.owned.values()].filter((s) => s.queue === queue).map((s) => s.shard);
    const plan = planShards({
      queue,
      mirrorId: this.registry.id,
      configured: this.shards,
      liveMirrors,
      owned,
      leftovers,
    });
    for (const shard of plan.release) {
      const entry = this.entry(queue, shard);
      this.owned.delete(entry.slot.name);
      this.releasing.add(entry.slot.name);
      this.logger.info({ queue, shard }, "handing mirror shard over");
    }
    let held = 0;
    for (const shard of plan.keep) {
      if (await this.hold(queue, shard)) held += shard < this.shards ? 1 : 0;
    }
    for (const shard of plan.candidates) {
      if (held >= plan.share) break;
      if (await this.hold(queue, shard)) held++;
    }
    for (const shard of plan.drain) await this.hold(queue, shard);
  }

  /** Takes or renews one shard's lease; true while this mirror holds it. */
  private async hold(queue: string, shard: number): Promise<boolean> {
    const { slot, lease } = this.entry(queue, shard);
    if (await lease.hold()) {
      this.releasing.delete(slot.name);
      if (!this.owned.has(slot.name)) {
        await this.ensureGroup(slot);
        this.onTaken(slot);
        this.owned.set(slot.name, slot);
        this.logger.info({ queue, shard }, "mirroring shard");
      }
      return true;
    }
    if (this.owned.delete(slot.name)) this.logger.warn({ queue, shard }, "lost mirror lease");
    return false;
  }

  private entry(queue: string, shard: number): { slot: StreamSlot; lease: Lease } {
    const slot = streamSlot(this.keys, queue, shard);
    let entry = this.leases.get(slot.name);
    if (entry === undefined) {
      entry = { slot, lease: new Lease(this.redis, this.keys.mirrorLease(queue, shard), this.ttlMs) };
      this.leases.set(slot.name, entry);
    }
    return entry;
  }

  private async ensureGroup(slot: StreamSlot): Promise<void> {
    try {
      // From the start of the stream: entries published before any mirror existed count too.
      await this.redis.xgroup("CREATE", slot.stream, MIRROR_GROUP, "0", "MKSTREAM");
    } catch (error) {
      if (!(error as Error).message.includes("BUSYGROUP")) throw error;
    }
  }
}
