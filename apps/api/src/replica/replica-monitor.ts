import { hasReplayed, replayState, walInsertPosition, type Queryable } from "@jobstream/db";
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

  constructor(private readonly options: ReplicaMonitorOptions) {}

  get health(): ReplicaHealth {
    return this.current;
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

  /** Whether the replica reaches `position` within `waitMs` (polled every few milliseconds). */
  async reaches(position: bigint, waitMs: number): Promise<boolean> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      if (await hasReplayed(this.options.replica, position)) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, Math.min(10, Math.max(1, deadline - Date.now()))));
    }
  }

  private async probe(): Promise<ReplicaHealth> {
    try {
      // Replica first: whatever it has replayed, the primary's position read after it is at least as far.
      const state = await replayState(this.options.replica);
      const primaryAt = await walInsertPosition(this.options.primary);
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
