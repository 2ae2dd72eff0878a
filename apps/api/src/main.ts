import { once } from "node:events";
import { createDb } from "@jobstream/db";
import { closeRedis, createLogger, createRedis, EnvError, onShutdown } from "@jobstream/runtime";
import { createApp } from "./app";
import { loadEnv } from "./env";

async function main(): Promise<void> {
  const env = loadEnv();
  const logger = createLogger({ service: "api", level: env.LOG_LEVEL });
  const db = createDb({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_SIZE });
  const redis = createRedis({ url: env.REDIS_URL, connectionName: "jobstream-api" });
  redis.on("error", (error) => {
    logger.warn({ err: error.message }, "redis connection error");
  });

  const app = createApp({ db, redis, logger, bodyLimit: env.BODY_LIMIT });
  const server = app.listen(env.PORT, env.HOST);
  await once(server, "listening");
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : env.PORT;
  logger.info({ port, host: env.HOST }, "api listening");

  onShutdown({
    logger,
    timeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    steps: [
      {
        name: "http",
        run: () =>
          new Promise<void>((resolve, reject) => {
            server.close((error) => { if (error) reject(error); else resolve(); });
            server.closeIdleConnections();
          }),
      },
      { name: "redis", run: () => closeRedis(redis) },
      { name: "postgres", run: () => db.$disconnect() },
    ],
  });
}

main().catch((error: unknown) => {
  if (error instanceof EnvError) {
    console.error(`api: ${error.message}`);
  } else {
    console.error("api: failed to start:", error);
  }
  process.exit(1);
});
