import { Worker } from "bullmq";
import type pg from "pg";
import type { Db } from "@jobstream/db";
import { jobTypes, type JobTypeName } from "@jobstream/job-types";
import { EventPublisher, OrgSlots, type Producer, type ProducerOptions } from "@jobstream/queue";
import {
  activeTracing,
  createRedis,
  errorListener,
  type Logger,
  type OutageReporter,
  type RedisClient,
  type RedisTarget,
} from "@jobstream/runtime";
import { closedWithin } from "../close-bound";
import { createHandlers } from "./handlers";
import { createProcessor } from "./create-processor";
import { withOrgCaps } from "./org-cap";
import { workerProducer } from "../worker-producer";

export interface WorkRoleOptions {
  readonly redisTarget: RedisTarget;
  readonly prefix: string;
  /** `MIRROR_SHARDS`: the streams each queue's events are split over, by job id. */
  readonly mirrorShards: number;
  readonly db: pg.Pool;
  /** The Prisma client the single-job actions (a bulk job's cancel, retry) read rows with. */
  readonly prisma: Db;
  readonly logger: Logger;
  /**
   * The types this process runs (one BullMQ worker each). Development types are left out unless
   * enabled: their jobs, if any reached Redis, wait untouched rather than run in production.
   */
  readonly types: readonly JobTypeName[];
  /** Told about connection and worker errors, so an outage is logged once, not per command. */
  readonly outages: OutageReporter;
  /** Per-type concurrency overrides. */
  readonly concurrency: Partial<Record<JobTypeName, number>>;
  /** How long a worker's lock lasts without renewal; a killed worker's jobs return after it. */
  readonly lockDurationMs: number;
  readonly onOutcome?: (type: string, outcome: string, seconds: number) => void;
  /** How this process adds jobs to BullMQ (fair share between orgs on or off). */
  readonly producerOptions?: ProducerOptions;
  /** Per-org concurrency caps: per-type defaults (operators set per-org caps through the API) and the retry pause. */
  readonly orgCaps: { readonly defaults: Partial<Record<JobTypeName, number>>; readonly retryMs: number };
}

/** Time allowed past the grace for aborted jobs to hand themselves back before connections are dropped. */
const CLOSE_EXTRA_MS = 2000;

/** Runs one BullMQ Worker per job-type queue; stops taking work and hands back jobs on stop. */
export class WorkRole {
  private readonly workers: Worker[] = [];
  private readonly shutdown = new AbortController();
  private readonly connection: RedisClient;
  private readonly subscriber: RedisClient;
  /** Adds the sub-jobs handlers create (queues are opened lazily by BullMQ: cheap when unused). */
  private readonly producer: Producer;

  constructor(private readonly options: WorkRoleOptions) {
    this.connection = createRedis({ ...options.redisTarget, purpose: "worker", connectionName: "jobstream-work" });
    this.subscriber = createRedis({ ...options.redisTarget, purpose: "worker", connectionName: "jobstream-cancel" });
    for (const conn of [this.connection, this.subscriber])
      conn.on("error", errorListener(options.outages, options.logger, "redis connection error"));
    this.producer = workerProducer(this.connection, options);
  }

  async start(): Promise<void> {
    const { options } = this;
    const publisher = new EventPublisher(this.connection, options.prefix, options.mirrorShards);
    const actions = {
      db: options.prisma,
      pool: options.db,
      redis: this.connection,
      producer: this.producer,
      publisher,
      prefix: options.prefix,
    };
    const processor = withOrgCaps(
      createProcessor({
        handlers: createHandlers({ db: options.db, actions }),
        publisher,
        redis: this.connection,
        prefix: options.prefix,
        logger: options.logger,
        shutdown: this.shutdown.signal,
        onOutcome: options.onOutcome,
        db: options.db,
        producer: this.producer,
      }),
      {
        slots: new OrgSlots(this.connection, this.producer.keys),
        defaultCaps: options.orgCaps.defaults,
        retryMs: options.orgCaps.retryMs,
        slotSlackMs: options.lockDurationMs,
        logger: options.logger,
      },
    );
    for (const type of options.types) {
      const worker = new Worker(type, processor, {
        connection: this.connection,
        prefix: this.producer.keys.bullPrefix(type),
        concurrency: options.concurrency[type] ?? jobTypes[type].defaults.concurrency,
        lockDuration: options.lockDurationMs,
        stalledInterval: Math.max(1000, Math.floor(options.lockDurationMs / 2)),
        maxStalledCount: 3,
        // Each attempt becomes a span in the trace its job carries (see jobSpec); undefined: no tracing.
        telemetry: activeTracing()?.bullmq,
      });
      // BullMQ reports its own connections' failures here; during an outage that is one per poll.
      worker.on("error", errorListener(options.outages, options.logger, "worker error", { queue: type }));
      this.workers.push(worker);
    }
    // A cancel request reaches every process; the one holding the job aborts its signal. ioredis
    // subscribes again after a reconnect; while Redis is out at start-up this waits for it.
    await this.subscriber.subscribe(this.producer.keys.cancelChannel());
    this.subscriber.on("message", (_channel, jobId: string) => {
      for (const worker of this.workers)
        if (worker.cancelJob(jobId, "cancelled")) options.logger.info({ jobId }, "cancelling running job");
    });
  }

  /**
   * Stops taking jobs, lets in-flight ones finish within `graceMs`, then aborts the rest, which
   * hand themselves back to the queue for another worker.
   */
  async stop(graceMs: number): Promise<void> {
    const closing = Promise.all(this.workers.map((w) => w.close()));
    const timer = setTimeout(() => {
      this.shutdown.abort(new Error("shutdown"));
    }, graceMs);
    // Closing needs Redis (jobs are handed back through it): while Redis is out it would wait for
    // ever. Past the bound, the connections are dropped; the jobs held return to the queue when
    // their locks expire.
    const closed = await closedWithin(closing, graceMs + CLOSE_EXTRA_MS);
    clearTimeout(timer);
    this.subscriber.disconnect();
    if (closed) {
      await this.producer.close().catch(() => undefined);
      await this.connection.quit().catch(() => undefined);
      return;
    }
    this.options.logger.warn(
      "workers did not close in time (Redis unreachable); their jobs return to the queue when their locks expire",
    );
    for (const worker of this.workers) void worker.disconnect().catch(() => undefined);
    this.connection.disconnect();
  }
}
