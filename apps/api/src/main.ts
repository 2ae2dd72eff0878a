import cluster from "node:cluster";
import { once } from "node:events";
import { createServer } from "node:http";
import { checkDbHealth, createDb, createPool } from "@jobstream/db";
import { EventPublisher, Producer } from "@jobstream/queue";
import {
  closeHttpServer,
  closeRedis,
  createLogger,
  createRedis,
  DependencyWatch,
  errorListener,
  guardProcess,
  onShutdown,
  redisReady,
  redisTargetOf,
  runMain,
  startTracing,
} from "@jobstream/runtime";
import { createApp } from "./app";
import { superviseWorkers } from "./cluster/supervise-workers";
import { ChangeHub } from "./realtime/change-hub";
import { createReadRouting } from "./replica/setup";
import { loadEnv, type ApiEnv } from "./env";

async function main(): Promise<void> {
  const env = loadEnv();
  // API_PROCESSES > 1: this process only supervises; its workers (this file again) serve the port.
  if (env.API_PROCESSES > 1 && cluster.isPrimary) {
    const logger = createLogger({ service: "api", level: env.LOG_LEVEL });
    guardProcess(logger);
    superviseWorkers({ processes: env.API_PROCESSES, logger, shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS });
    return;
  }
  await serve(env);
}

/** One API process: the HTTP server and everything it needs, stopped in order on SIGTERM. */
async function serve(env: ApiEnv): Promise<void> {
  // First, so the queues and the app below are built with it; imports nothing when the endpoint is unset.
  const tracing = await startTracing({
    endpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
    serviceName: env.OTEL_SERVICE_NAME ?? "jobstream-api",
  });
  const logger = createLogger({ service: "api", level: env.LOG_LEVEL });
  guardProcess(logger);
  const db = createDb({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_SIZE });
  const redisTarget = redisTargetOf(env);
  const redis = createRedis({ ...redisTarget, connectionName: "jobstream-api" });
  // Redis or Postgres may be out at any moment, this start included: the watch logs each change
  // once and /readyz says which one is out; requests meanwhile answer 503 (or 202 through the outbox).
  const outages = new DependencyWatch({ redis, postgres: () => checkDbHealth(db), logger });
  redis.on("error", errorListener(outages, logger, "redis connection error"));

  const pool = createPool({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_SIZE });
  pool.on("error", errorListener(outages, logger, "postgres pool error"));
  outages.start();
  const producer = new Producer(
    redis,
    env.QUEUE_PREFIX,
    (error, queue) => {
      errorListener(outages, logger, "queue error", { queue })(error);
    },
    {
      fairShare: env.FAIR_SHARE,
      queueGroups: env.REDIS_CLUSTER_QUEUE_GROUPS,
      keepCompletedSeconds: env.KEEP_COMPLETED_SECONDS,
    },
  );
  const publisher = new EventPublisher(redis, env.QUEUE_PREFIX, env.MIRROR_SHARDS);

  // DATABASE_READ_URL: list, stats and stream reads go to the replica while it is caught up.
  const { reads, close: closeReads } = createReadRouting({
    primary: { db, pool },
    readUrl: env.DATABASE_READ_URL,
    poolSize: env.DATABASE_POOL_SIZE,
    redis,
    prefix: env.QUEUE_PREFIX,
    logger,
    maxLagMs: env.REPLICA_MAX_LAG_MS,
    checkMs: env.REPLICA_CHECK_MS,
    waitMs: env.REPLICA_READ_WAIT_MS,
  });
  await reads.monitor?.start();

  const hub = new ChangeHub({
    reads,
    redisTarget,
    prefix: env.QUEUE_PREFIX,
    logger,
    tickMs: env.SSE_TICK_MS,
    outages,
  });
  hub.start();

  // Start even when Redis is down (enqueue then answers 202 and the outbox catches up), but give
  // a starting Redis a moment so the first requests do not all take that path.
  if (!(await redisReady(redis, 2000))) logger.warn("redis is not answering; starting anyway");

  const handler = createApp({
    db,
    pool,
    reads,
    redis,
    producer,
    publisher,
    logger,
    hub,
    outages,
    tokenRules: {
      secret: env.JWT_SECRET,
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      maxTtlSeconds: env.JWT_MAX_TTL_SECONDS,
    },
    prefix: env.QUEUE_PREFIX,
    bodyLimit: env.BODY_LIMIT,
    sseKeepAliveMs: env.SSE_KEEPALIVE_MS,
    sseMaxPerToken: env.SSE_MAX_PER_TOKEN,
    corsOrigins: env.CORS_ORIGINS,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    trustProxy: env.TRUST_PROXY,
    metricsToken: env.METRICS_TOKEN,
    dashboardDir: env.DASHBOARD_DIR,
    webhookAllowPrivate: env.WEBHOOK_ALLOW_PRIVATE,
    enqueuePolicy: {
      developmentTypes: env.ENABLE_SYNTHETIC_JOBS,
      maxUnfinishedJobs: env.ORG_MAX_UNFINISHED_JOBS,
      enqueuePerMinute: env.ORG_ENQUEUE_PER_MINUTE,
      itemsPerMinute: env.ORG_ITEMS_PER_MINUTE,
    },
  });
  const server = createServer(handler).listen(env.PORT, env.HOST);
  await once(server, "listening");
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : env.PORT;
  logger.info({ port, host: env.HOST }, "api listening");

  onShutdown({
    logger,
    timeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    steps: [
      // Streams first: the HTTP server waits for open connections, and event streams stay open
      // until they are ended (their clients reconnect to another API process).
      {
        name: "streams",
        run: () => {
          outages.stop();
          return hub.stop();
        },
      },
      { name: "http", run: () => closeHttpServer(server) },
      { name: "queues", run: () => producer.close() },
      { name: "redis", run: () => closeRedis(redis) },
      { name: "postgres", run: () => Promise.all([db.$disconnect(), pool.end(), closeReads()]) },
      // Last: the spans of everything above are exported before the process ends.
      { name: "tracing", run: () => tracing?.shutdown() ?? Promise.resolve() },
    ],
  });
}

runMain("api", main);
