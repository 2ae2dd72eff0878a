import { checkPoolHealth, createDb, createPool } from "@jobstream/db";
import { enabledJobTypeNames, jobTypeNames, type JobTypeName } from "@jobstream/job-types";
import {
  closeHttpServer,
  closeRedis,
  createLogger,
  createRedis,
  DependencyWatch,
  EnvError,
  errorListener,
  guardProcess,
  onShutdown,
  redisTargetOf,
  runMain,
  startTracing,
  type Role,
} from "@jobstream/runtime";
import { concurrencyVariable, loadEnv, orgConcurrencyVariable, type WorkerEnv } from "./env";
import { startHealthServer } from "./health-server";
import { createWorkerMetrics } from "./metrics";
import { Housekeeper } from "./housekeep/housekeeper";
import { MirrorRole } from "./mirror/mirror-role";
import { WorkRole } from "./work/work-role";
import { WebhookSender } from "./webhooks/webhook-sender";

const WORKER_ROLES: readonly Role[] = ["work", "mirror", "housekeep"];

/** Per-type values of the `<VARIABLE>_<TYPE>` family `variable` names (concurrency, org caps). */
function perType(env: WorkerEnv, variable: (type: string) => string): Partial<Record<JobTypeName, number>> {
  const overrides: Partial<Record<JobTypeName, number>> = {};
  const values = env as unknown as Record<string, number | undefined>;
  for (const type of jobTypeNames) {
    const value = values[variable(type)];
    if (value !== undefined) overrides[type] = value;
  }
  return overrides;
}

async function main(): Promise<void> {
  const env = loadEnv();
  const roles = WORKER_ROLES.filter((role) => env.ROLES.has(role));
  if (roles.length === 0) {
    throw new EnvError(`invalid environment:\n  ROLES: the worker process needs one of ${WORKER_ROLES.join(", ")}`);
  }
  // First, so the roles' queues and workers are built with it; imports nothing when the endpoint is unset.
  const tracing = await startTracing({
    endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
    serviceName: env.OTEL_SERVICE_NAME ?? "jobstream-worker",
  });
  const logger = createLogger({ service: "worker", level: env.LOG_LEVEL });
  guardProcess(logger);
  // Prisma serves only the work role's handlers. It loads its query compiler (about 70 MB) on its
  // first query, so a process without the work role, which never queries through it, never pays for it.
  const db = createDb({ connectionString: env.DATABASE_URL, max: 2 });
  const pool = createPool({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_SIZE });
  // Its own connection: a probe queued behind the mirror's batches on `pool` would read as an outage.
  const healthPool = createPool({ connectionString: env.DATABASE_URL, max: 1 });
  const redisTarget = redisTargetOf(env);
  const redis = createRedis({ ...redisTarget, connectionName: "jobstream-worker-health" });
  // Redis and Postgres may be out at any moment, this start included: the watch logs each change
  // once, /readyz says which one is out, and every role waits and carries on.
  const outages = new DependencyWatch({ redis, postgres: () => checkPoolHealth(healthPool), logger });
  for (const p of [pool, healthPool]) p.on("error", errorListener(outages, logger, "postgres pool error"));
  redis.on("error", errorListener(outages, logger, "redis connection error"));
  outages.start();

  const metrics = createWorkerMetrics();
  // The health port first: a process waiting for Redis or Postgres answers "not ready", not nothing,
  // and a taken HEALTH_PORT stops the process before it takes any work.
  const { server: health, port: healthPort } = await startHealthServer({
    outages,
    port: env.HEALTH_PORT,
    host: env.HEALTH_HOST,
    registry: metrics.registry,
    metricsToken: env.METRICS_TOKEN,
  });
  logger.info({ healthPort, host: env.HEALTH_HOST }, "health server listening");
  const common = {
    redisTarget,
    prefix: env.QUEUE_PREFIX,
    mirrorShards: env.MIRROR_SHARDS,
    logger,
    outages,
    producerOptions: {
      fairShare: env.FAIR_SHARE,
      queueGroups: env.REDIS_CLUSTER_QUEUE_GROUPS,
      keepCompletedSeconds: env.KEEP_COMPLETED_SECONDS,
    },
  };
  const work = roles.includes("work")
    ? new WorkRole({
        ...common,
        db: pool,
        prisma: db,
        concurrency: perType(env, concurrencyVariable),
        orgCaps: { defaults: perType(env, orgConcurrencyVariable), retryMs: env.ORG_CAP_RETRY_MS },
        lockDurationMs: env.WORKER_LOCK_MS,
        types: enabledJobTypeNames(env.ENABLE_SYNTHETIC_JOBS),
        onOutcome: (type, outcome, seconds) => {
          metrics.jobDuration.observe({ type, outcome }, seconds);
        },
      })
    : undefined;
  const mirror = roles.includes("mirror")
    ? new MirrorRole({
        ...common,
        pool,
        leaseMs: env.MIRROR_LEASE_MS,
        onBatch: ({ entries, lagsMs }) => {
          metrics.mirrorEntries.inc(entries);
          for (const lag of lagsMs) metrics.mirrorLag.observe(Math.max(0, lag) / 1000);
        },
        onDeadLetter: (letter) => {
          metrics.mirrorDeadLetters.inc({ queue: letter.queue });
        },
      })
    : undefined;
  const housekeeper = roles.includes("housekeep")
    ? new Housekeeper({
        ...common,
        pool,
        intervalMs: env.HOUSEKEEP_INTERVAL_MS,
        pendingGraceMs: env.OUTBOX_GRACE_MS,
        reconcileAfterMs: env.RECONCILE_AFTER_MS,
        retentionIntervalMs: env.RETENTION_INTERVAL_MS,
        onDrift: (kind, count) => {
          if (kind === "dispatched") metrics.outboxDispatched.inc(count);
          else metrics.reconciled.inc({ kind }, count);
        },
      })
    : undefined;
  // Beside the housekeeper, not behind its leader lease: every housekeeping process sends (claims skip each other).
  const webhooks = roles.includes("housekeep")
    ? new WebhookSender({
        pool,
        logger,
        outages,
        allowPrivate: env.WEBHOOK_ALLOW_PRIVATE,
        timeoutMs: env.WEBHOOK_TIMEOUT_MS,
        retryDelaysMs: env.WEBHOOK_RETRY_DELAYS_MS,
        disableAfterMs: env.WEBHOOK_DISABLE_AFTER_MS,
        pollMs: env.WEBHOOK_POLL_MS,
        concurrency: env.WEBHOOK_CONCURRENCY,
      })
    : undefined;

  // Installed before the roles start: a role waiting for Redis at start-up still stops cleanly.
  onShutdown({
    logger,
    timeoutMs: env.SHUTDOWN_TIMEOUT_MS + 5000,
    steps: [
      // Stop taking work first; in-flight jobs finish or are handed back, and their last events
      // are published before the mirror drains.
      { name: "work", run: () => work?.stop(env.SHUTDOWN_TIMEOUT_MS) ?? Promise.resolve() },
      { name: "housekeep", run: () => housekeeper?.stop() ?? Promise.resolve() },
      { name: "webhooks", run: () => webhooks?.stop() ?? Promise.resolve() },
      { name: "mirror", run: () => mirror?.stop() ?? Promise.resolve() },
      {
        name: "health",
        run: () => {
          outages.stop();
          return closeHttpServer(health);
        },
      },
      { name: "redis", run: () => closeRedis(redis) },
      { name: "postgres", run: () => Promise.all([db.$disconnect(), pool.end(), healthPool.end()]) },
      // Last: the spans of everything above are exported before the process ends.
      { name: "tracing", run: () => tracing?.shutdown() ?? Promise.resolve() },
    ],
  });
  // Starting the roles waits for Redis when it is out; /readyz answers meanwhile.
  logger.info({ roles, healthPort }, "worker starting");
  await mirror?.start();
  await work?.start();
  housekeeper?.start();
  webhooks?.start();
  logger.info({ roles, healthPort }, "worker started");
}

runMain("worker", main);
