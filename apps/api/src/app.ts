import express, { type Express } from "express";
import type pg from "pg";
import type { Db } from "@jobstream/db";
import type { EventPublisher, Producer } from "@jobstream/queue";
import type { DependencyWatch, Logger, Redis } from "@jobstream/runtime";
import { authenticate } from "./auth/authenticate";
import { errorMiddleware, notFoundHandler } from "./http/error-middleware";
import { corsFor, rateLimitPerToken, securityHeaders } from "./http/hardening";
import { jsonBodyGuard } from "./http/json-guards";
import { createApiMetrics } from "./http/metrics";
import { openApiRouter } from "./openapi/route";
import { actionsRouter } from "./jobs/actions-route";
import { enqueueRouter } from "./jobs/enqueue-route";
import { listRouter } from "./jobs/list-route";
import { JOB_TOKEN_PATHS, readRouter } from "./jobs/read-route";
import type { ChangeHub } from "./realtime/change-hub";
import { streamRouter } from "./realtime/stream-routes";
import { BULL_BOARD_PATH, bullBoardRouter, requireOperator } from "./routes/bull-board";
import { jobTypesRouter } from "./routes/job-types";
import { statsRouter } from "./routes/stats";
import { healthRouter } from "./routes/health";
import { dashboardRouter } from "./routes/dashboard";
import { SESSION_COOKIE, sessionRouter } from "./routes/session";

export interface AppDeps {
  readonly db: Db;
  readonly pool: pg.Pool;
  readonly redis: Redis;
  readonly producer: Producer;
  readonly publisher: EventPublisher;
  readonly logger: Logger;
  readonly jwtSecret: string;
  readonly prefix: string;
  readonly bodyLimit: string;
  readonly hub: ChangeHub;
  readonly sseKeepAliveMs: number;
  readonly sseMaxPerToken: number;
  readonly corsOrigins: readonly string[];
  readonly rateLimitPerMinute: number;
  /** The built dashboard (apps/dashboard/dist). */
  readonly dashboardDir: string;
  /** Knows which dependency is out: `/readyz` asks it, failed requests tell it. */
  readonly outages: DependencyWatch;
}

/** The Express app, without listening: tests mount it on an ephemeral port. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  const metrics = createApiMetrics(deps);
  app.use(metrics.middleware);
  app.disable("x-powered-by");
  app.set("trust proxy", false);
  app.set("query parser", "simple");
  app.use(securityHeaders());
  app.use(corsFor(deps.corsOrigins));
  app.use(express.json({ limit: deps.bodyLimit, strict: true, type: ["application/json", "application/*+json"] }));
  app.use(jsonBodyGuard);
  const session = sessionRouter();
  app.use(session.signOut);
  // Reads of one job accept its access token too; everything else needs a bearer token.
  app.use("/v1", authenticate(deps.jwtSecret, { jobTokenPaths: JOB_TOKEN_PATHS }));
  app.use("/v1", rateLimitPerToken(deps.redis, deps.prefix, deps.rateLimitPerMinute));
  // The routes frontends poll come first: Express tries every earlier route of a request in turn.
  // Fixed paths (/v1/jobs/active) before /v1/jobs/:id.
  app.use(listRouter(deps));
  app.use(readRouter(deps));
  app.use(streamRouter({ db: deps.db, hub: deps.hub, keepAliveMs: deps.sseKeepAliveMs, maxStreamsPerToken: deps.sseMaxPerToken }));
  app.use(healthRouter(deps));
  app.use(metrics.router);
  app.use(openApiRouter());
  app.use(dashboardRouter(deps.dashboardDir));
  // bull-board's pages are opened by following a link, so its session cookie is accepted there (only).
  app.use(BULL_BOARD_PATH, authenticate(deps.jwtSecret, { cookie: SESSION_COOKIE }), requireOperator);
  app.use(bullBoardRouter(deps.producer));
  app.use(session.session);
  app.use(jobTypesRouter());
  app.use(statsRouter(deps));
  app.use(enqueueRouter(deps));
  app.use(actionsRouter(deps));
  app.use(notFoundHandler);
  app.use(errorMiddleware(deps.logger, deps.outages));
  return app;
}
