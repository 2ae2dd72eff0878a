import { replayState, walInsertPosition, type Queryable } from "@jobstream/db";
import type { Logger } from "@jobstream/runtime";
import { lagMsOf, statusOf, type ReplicaHealth } from "./consistency";

export interface ReplicaMonitorOptions {
  readonly primary: Queryable;
  readonly replica: Queryable;
  readonly logger: Logger;
  /** Beyond this lag (REPLICA_MAX_LAG_MS) reads go to the primary. */
  readonly maxLagMs: number;
  /** Probe period (REPLICA_CHECK_MS). @defaultValue 1000 */
  readonly intervalMs?: number;
}

interface Waiter {
  readonly position: bigint;
  readonly deadline: number;
  readonly resolve: (reached: boolean) => void;
}

const DOWN: ReplicaHealth = { status: "down", lagBytes: null, lagMs: null, replayed: 0n };

/**
 * Knows whether the read replica may serve reads: probes it (and the primary's WAL position) every
 * interval, and hears of failed replica queries in between. Starts as `down`, so no read reaches
 * the replica before a probe found it caught up. Logs each change of state once.
 */
export class ReplicaMonitor {
  private current: ReplicaHealth = DOWN;
  private lastCaughtUpAt = Date.now();
  private timer: NodeJS.Timeout | undefined;
  private probing: Promise<ReplicaHealth> | undefined;
  private stopped = false;
  /** The newest primary WAL position this process knows: last probe, own writes, refreshes. */
  private primaryAt = 0n;
  private primaryQuery: Promise<bigint> | undefined;
  private waiters: Waiter[] = [];
  private polling = false;

  constructor(private readonly options: ReplicaMonitorOptions) {}

  get health(): ReplicaHealth {
    return this.current;
  }

  /** The newest primary WAL position this process knows of (0n before the first probe or write). */
  get primaryPosition(): bigint {
    return this.primaryAt;
  }

  /** The primary was seen at `position` (this process's write, or a probe); never lowers it. */
  notePrimary(position: bigint): void {
    if (position > this.primaryAt) this.primaryAt = position;
  }

  /** Asks the primary for its position now; concurrent callers share one query. */
  refreshPrimary(): Promise<bigint> {
    this.primaryQuery ??= walInsertPosition(this.options.primary)
      .then((position) => {
        this.notePrimary(position);
        return this.primaryAt;
      })
      .finally(() => {
        this.primaryQuery = undefined;
      });
    return this.primaryQuery;
  }

  /** Probes now, then every interval until `stop()`. */
  async start(): Promise<void> {
    await this.check();
    const loop = () => {
      if (this.stopped) return;
      this.timer = setTimeout(() => {
        void this.check().finally(loop);
      }, this.options.intervalMs ?? 1000);
      this.timer.unref();
    };
    loop();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** One probe at a time; callers in between share it. */
  check(): Promise<ReplicaHealth> {
    this.probing ??= this.probe().then((health) => {
      this.probing = undefined;
      this.record(health);
      return health;
    });
    return this.probing;
  }

  /** A replica query failed: stop sending reads there until a probe finds it answering again. */
  noteFailure(error: unknown): void {
    if (this.current.status === "down") return;
    this.options.logger.warn({ err: (error as Error).message }, "replica query failed; reading the primary");
    this.record(DOWN);
  }

  /**
   * Whether the replica reaches `position` within `waitMs`. Every waiting read of this process
   * shares one poll of the replica's replay position (one query in flight, every few
   * milliseconds), each answered from its result; a failed query answers false.
   */
  reaches(position: bigint, waitMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      this.waiters.push({ position, deadline: Date.now() + waitMs, resolve });
      if (!this.polling) void this.poll();
    });
  }

  private async poll(): Promise<void> {
    this.polling = true;
    try {
      while (this.waiters.length > 0) {
        const replayed = await replayState(this.options.replica).then(
          (state) => state.replayed,
          () => null,
        );
        const now = Date.now();
        const pending: Waiter[] = [];
        for (const waiter of this.waiters) {
          if (replayed !== null && replayed >= waiter.position) waiter.resolve(true);
          else if (replayed === null || now >= waiter.deadline) waiter.resolve(false);
          else pending.push(waiter);
        }
        this.waiters = pending;
        const next = pending.reduce((soonest, waiter) => Math.min(soonest, waiter.deadline), Infinity);
        if (pending.length > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.min(10, Math.max(1, next - Date.now()))));
      }
    } finally {
      this.polling = false;
    }
  }

  private async probe(): Promise<ReplicaHealth> {
    try {
      // Replica first: whatever it has replayed, the primary's position read after it is at least as far.
      const state = await replayState(this.options.replica);
      const primaryAt = await walInsertPosition(this.options.primary);
      this.notePrimary(primaryAt);
      const behind = primaryAt - state.replayed;
      const now = Date.now();
      if (behind <= 0n) this.lastCaughtUpAt = now;
      const lagMs = lagMsOf(behind, state.sinceLastReplayMs, now - this.lastCaughtUpAt);
      return {
        status: statusOf(state.standby, lagMs, this.options.maxLagMs),
        lagBytes: Number(behind > 0n ? behind : 0n),
        lagMs,
        replayed: state.replayed,
      };
    } catch (error) {
      if (this.current.status !== "down")
        this.options.logger.warn({ err: (error as Error).message }, "replica probe failed");
      return DOWN;
    }
  }

  private record(next: ReplicaHealth): void {
    const previous = this.current.status;
    this.current = next;
    if (previous === next.status) return;
    const fields = { replica: next.status, lagMs: next.lagMs, lagBytes: next.lagBytes };
    if (next.status === "ok") this.options.logger.info(fields, "replica serving reads");
    else this.options.logger.warn(fields, `replica ${next.status}; reads go to the primary`);
  }
}
