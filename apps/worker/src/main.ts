import { createDb } from "@jobstream/db";
import { closeRedis, createLogger, createRedis, EnvError, onShutdown, type Role } from "@jobstream/runtime";
import { loadEnv } from "./env";
import { startHealthServer } from "./health-server";

const WORKER_ROLES: readonly Role[] = ["work", "mirror", "housekeep"];

async function main(): Promise<void> {
  const env = loadEnv();
  const roles = WORKER_ROLES.filter((role) => env.ROLES.has(role));
  if (roles.length === 0) {
    throw new EnvError(`invalid environment:\n  ROLES: the worker process needs one of ${WORKER_ROLES.join(", ")}`);
  }
  const logger = createLogger({ service: "worker", level: env.LOG_LEVEL });
  const db = createDb({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_SIZE });
  const redis = createRedis({ url: env.REDIS_URL, purpose: "worker", connectionName: "jobstream-worker" });
  redis.on("error", (error) => {
    logger.warn({ err: error.message }, "redis connection error");
  });

  const health = await startHealthServer({ db, redis, port: env.HEALTH_PORT, host: env.HEALTH_HOST });
  const address = health.address();
  logger.info({ roles, healthPort: typeof address === "object" && address ? address.port : env.HEALTH_PORT }, "worker started");

  onShutdown({
    logger,
    timeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    steps: [
      {
        name: "health",
        run: () =>
          new Promise<void>((resolve, reject) => {
            health.close((error) => { if (error) reject(error); else resolve(); });
            health.closeIdleConnections();
          }),
      },
      { name: "redis", run: () => closeRedis(redis) },
      { name: "postgres", run: () => db.$disconnect() },
    ],
  });
}

main().catch((error: unknown) => {
  if (error instanceof EnvError) {
    console.error(`worker: ${error.message}`);
  } else {
    console.error("worker: failed to start:", error);
  }
  process.exit(1);
});
