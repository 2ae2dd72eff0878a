import type pg from "pg";
import { findPendingJobs, markDispatched } from "@jobstream/db";
import {
  announceChanges,
  dispatchedStatuses,
  EventPublisher,
  loadFlowTrees,
  type Producer,
  type ProducerOptions,
} from "@jobstream/queue";
import {
  createRedis,
  errorListener,
  type Logger,
  type OutageReporter,
  type RedisClient,
  type RedisTarget,
} from "@jobstream/runtime";
import { Lease } from "../lease";
import { ScheduleKeeper } from "../schedules/schedule-keeper";
import { reconcile } from "./reconcile";
import { workerProducer } from "../worker-producer";

export interface HousekeeperOptions {
  readonly redisTarget: RedisTarget;
  readonly prefix: string;
  /** `MIRROR_SHARDS`: the streams each queue's events are split over, by job id. */
  readonly mirrorShards: number;
  readonly pool: pg.Pool;
  /** How this process adds jobs to BullMQ (fair share between orgs on or off). */
  readonly producerOptions?: ProducerOptions;
  readonly logger: Logger;
  /** Told about failed rounds, so an outage is logged once (by the watch), not once per round. */
  readonly outages: OutageReporter;
  /** Pause between rounds. */
  readonly intervalMs: number;
  /** A `pending` row this old is sent by the outbox (younger ones are the API's to send). */
  readonly pendingGraceMs: number;
  /** An unfinished row that has not moved for this long is compared with BullMQ. */
  readonly reconcileAfterMs: number;
  /** The interval of the retention sweep's system schedule (`maintenance/cleanup`), when it is created. */
  readonly retentionIntervalMs: number;
  readonly onDrift?: (kind: "requeued" | "repaired" | "dispatched", count: number) => void;
}

const BATCH = 500;

/** Outbox, reconciler and schedules; only the leader acts, the others stand by (every one runs ticks). */
export class Housekeeper {
  private readonly redis: RedisClient;
  private readonly producer: Producer;
  private readonly publisher: EventPublisher;
  private readonly lease: Lease;
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> = Promise.resolve();
  private stopped = false;
  private leader = false;
  private readonly schedules: ScheduleKeeper;

  constructor(private readonly options: HousekeeperOptions) {
    this.redis = createRedis({ ...options.redisTarget, connectionName: "jobstream-housekeeper" });
    this.redis.on("error", errorListener(options.outages, options.logger, "redis connection error"));
    this.producer = workerProducer(this.redis, options);
    this.publisher = new EventPublisher(this.redis, options.prefix, options.mirrorShards);
    this.lease = new Lease(this.redis, this.producer.keys.housekeeperLeader(), Math.max(5000, options.intervalMs * 3));
    this.schedules = new ScheduleKeeper(options);
  }

  start(): void {
    this.schedules.start();
    const tick = () => {
      if (this.stopped) return;
      this.round = this.tick().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.options.intervalMs);
      });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
    if (this.leader) await this.lease.release().catch(() => undefined);
    await this.schedules.stop();
    await this.producer.close();
    await this.redis.quit().catch(() => undefined);
  }

  /** One round; public so tests can drive it. */
  async tick(): Promise<void> {
    const { logger } = this.options;
    try {
      const leader = await this.lease.hold();
      if (leader !== this.leader) logger.info({ leader }, leader ? "housekeeper leads" : "housekeeper stands by");
      this.leader = leader;
      if (!leader) return;
      await this.dispatchPending();
      const result = await reconcile(
        { db: this.options.pool, producer: this.producer, publisher: this.publisher, logger },
        this.options.reconcileAfterMs,
        BATCH,
      );
      if (result.requeued + result.repaired > 0) logger.info(result, "reconciled drift");
      this.options.onDrift?.("requeued", result.requeued);
      this.options.onDrift?.("repaired", result.repaired);
      await this.schedules.reconcile();
    } catch (error) {
      // During an outage every round fails the same way: the watch logs it once. The leader lease
      // needs no repair: it is taken again (SET NX) once Redis is back; schedulers Redis lost are
      // written again from Postgres by the schedules' reconcile.
      if (!this.options.outages.noteError(error))
        logger.warn({ err: (error as Error).message }, "housekeeping round failed");
    }
  }

  /** The outbox: rows stored while Redis was unreachable (or the API died) reach their queue. */
  private async dispatchPending(): Promise<void> {
    const rows = await findPendingJobs(this.options.pool, this.options.pendingGraceMs, BATCH);
    if (rows.length === 0) return;
    const addedAt = new Date();
    // A flow goes whole (its pending sub-jobs were left out of `rows`): FlowProducer links them again.
    const { nodes } = await loadFlowTrees(this.options.pool, rows, () => undefined);
    await this.producer.dispatch(nodes);
    const dispatched = dispatchedStatuses(nodes, Date.now());
    await markDispatched(this.options.pool, dispatched, addedAt);
    await announceChanges(
      this.redis,
      this.options.prefix,
      dispatched.map((r) => r.id),
    );
    this.options.onDrift?.("dispatched", rows.length);
    this.options.logger.info({ jobs: rows.length }, "outbox dispatched pending jobs");
  }
}
