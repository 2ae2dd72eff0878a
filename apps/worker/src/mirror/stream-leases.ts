import { jobTypes } from "@jobstream/job-types";
import { MIRROR_GROUP, type Keys } from "@jobstream/queue";
import type { Logger, OutageReporter, RedisClient } from "@jobstream/runtime";
import { Lease } from "../lease";

const LEASE_TTL_MS = 10_000;

/**
 * Which queues' event streams this mirror owns: one lease per queue, renewed every third of its
 * time to live, so each stream has one mirror at a time and a dead mirror's streams pass to
 * another within the TTL. A stream taken over gets its consumer group first.
 */
export class StreamLeases {
  private readonly leases: Map<string, Lease>;
  private readonly owned = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly logger: Logger,
    private readonly outages: OutageReporter,
    /** A queue this mirror just took over: its pending entries (an earlier owner's) are read first. */
    private readonly onTaken: (queue: string) => void,
  ) {
    this.leases = new Map(
      Object.keys(jobTypes).map((queue) => [queue, new Lease(redis, keys.mirrorLease(queue), LEASE_TTL_MS)]),
    );
  }

  /** The queues owned now, in a stable order (their list is the read-ahead's key). */
  queues(): string[] {
    return [...this.owned];
  }

  /** Takes what leases it can, then keeps renewing them. Waits while Redis is out. */
  async start(): Promise<void> {
    await this.refresh();
    this.timer = setInterval(() => {
      // One refresh at a time: during an outage they would pile up behind each other.
      this.refreshing ??= this.refresh().finally(() => {
        this.refreshing = undefined;
      });
    }, LEASE_TTL_MS / 3);
  }

  /** Stops renewing; the leases expire on their own unless released. */
  stop(): void {
    clearInterval(this.timer);
  }

  async release(): Promise<void> {
    await Promise.all([...this.leases.values()].map((l) => l.release().catch(() => undefined)));
  }

  /** Never throws: a group that cannot be created yet (Redis still out) is tried again next round. */
  async recreateGroups(queues: readonly string[]): Promise<void> {
    for (const queue of queues) {
      try {
        await this.ensureGroup(queue);
      } catch (error) {
        if (!this.outages.noteError(error))
          this.logger.warn({ err: (error as Error).message, queue }, "could not recreate the consumer group");
      }
    }
  }

  private async refresh(): Promise<void> {
    for (const [queue, lease] of this.leases) {
      try {
        if (await lease.hold()) {
          if (!this.owned.has(queue)) {
            await this.ensureGroup(queue);
            this.onTaken(queue);
            this.owned.add(queue);
            this.logger.info({ queue }, "mirroring queue");
          }
        } else if (this.owned.delete(queue)) {
          this.logger.warn({ queue }, "lost mirror lease");
        }
      } catch (error) {
        if (!this.outages.noteError(error))
          this.logger.warn({ err: (error as Error).message, queue }, "lease refresh failed");
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
}
