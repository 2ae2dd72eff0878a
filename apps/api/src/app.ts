import express, { type Express } from "express";
import type { Db } from "@jobstream/db";
import type { Logger, Redis } from "@jobstream/runtime";
import { errorMiddleware, notFoundHandler } from "./http/error-middleware";
import { healthRouter } from "./routes/health";

export interface AppDeps {
  readonly db: Db;
  readonly redis: Redis;
  readonly logger: Logger;
  readonly bodyLimit: string;
}

/** The Express app, without listening: tests mount it on an ephemeral port. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", false);
  app.use(express.json({ limit: deps.bodyLimit, strict: true }));
  app.use(healthRouter(deps));
  app.use(notFoundHandler);
  app.use(errorMiddleware(deps.logger));
  return app;
}
