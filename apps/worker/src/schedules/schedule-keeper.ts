import type pg from "pg";
import { Worker } from "bullmq";
import { type Producer, SCHEDULES_QUEUE, ScheduleTicks, type TickData, type ProducerOptions } from "@jobstream/queue";
import {
  createRedis,
  errorListener,
  type Logger,
  type OutageReporter,
  type RedisClient,
  type RedisTarget,
} from "@jobstream/runtime";
import { reconcileSchedules } from "./reconcile-schedules";
import { runTick } from "./run-tick";
import { ensureSystemSchedules } from "./system-schedules";
import { closedWithin } from "../close-bound";
import { workerProducer } from "../worker-producer";

/** How long closing may wait for Redis before the connection is dropped. */
const CLOSE_BOUND_MS = 2000;

export interface ScheduleKeeperOptions {
  readonly redisTarget: RedisTarget;
  readonly prefix: string;
  readonly pool: pg.Pool;
  /** How this process adds jobs to BullMQ (fair share between orgs on or off). */
  readonly producerOptions?: ProducerOptions;
  readonly logger: Logger;
  readonly outages: OutageReporter;
  readonly retentionIntervalMs: number;
}

/**
 * The housekeeper's schedules: every housekeeper process runs ticks (BullMQ hands each tick to one
 * of them); the leader creates the system schedules and reconciles Redis with Postgres each round.
 */
export class ScheduleKeeper {
  private readonly connection: RedisClient;
  private readonly producer: Producer;
  private readonly ticks: ScheduleTicks;
  private worker: Worker<TickData> | undefined;
  private systemEnsured = false;

  constructor(private readonly options: ScheduleKeeperOptions) {
    const onError = errorListener(options.outages, options.logger, "redis connection error");
    this.connection = createRedis({ ...options.redisTarget, purpose: "worker", connectionName: "jobstream-ticks" });
    this.connection.on("error", onError);
    this.producer = workerProducer(this.connection, options);
    this.ticks = new ScheduleTicks(this.connection, options.prefix, (error) => {
      errorListener(options.outages, options.logger, "queue error", { queue: SCHEDULES_QUEUE })(error);
    });
  }

  /** Starts taking ticks. */
  start(): void {
    const { options } = this;
    const deps = { db: options.pool, producer: this.producer, ticks: this.ticks, logger: options.logger };
    this.worker = new Worker<TickData>(SCHEDULES_QUEUE, (job) => runTick(deps, job), {
      connection: this.connection,
      prefix: this.producer.keys.bullPrefix(SCHEDULES_QUEUE),
      concurrency: 4,
    });
    this.worker.on("error", errorListener(options.outages, options.logger, "worker error", { queue: SCHEDULES_QUEUE }));
    this.worker.on("failed", (job, error) => {
      options.logger.warn({ scheduleId: job?.data.scheduleId, err: error.message }, "schedule tick failed");
    });
  }

  /** The leader's part of a housekeeping round. */
  async reconcile(): Promise<void> {
    if (!this.systemEnsured) {
      await ensureSystemSchedules(this.options.pool, { retentionIntervalMs: this.options.retentionIntervalMs });
      this.systemEnsured = true;
    }
    const result = await reconcileSchedules({ db: this.options.pool, ticks: this.ticks });
    if (result.restored + result.removed > 0) this.options.logger.info(result, "schedulers reconciled with Postgres");
  }

  /**
   * Stops taking ticks. Closing needs Redis: while it is out this would wait for ever, so past a
   * bound the connection is dropped (a tick held returns when its lock expires and is retried, and
   * its idempotency key keeps it to one run).
   */
  async stop(): Promise<void> {
    const closing = Promise.all([this.worker?.close(), this.ticks.close(), this.producer.close()]);
    const closed = await closedWithin(closing, CLOSE_BOUND_MS);
    if (closed) {
      await this.connection.quit().catch(() => undefined);
      return;
    }
    this.options.logger.warn("schedule ticks did not close in time (Redis unreachable); connections dropped");
    void this.worker?.disconnect().catch(() => undefined);
    this.connection.disconnect();
  }
}
