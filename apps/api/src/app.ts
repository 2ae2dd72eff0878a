import express from "express";
import type pg from "pg";
import type { Db } from "@jobstream/db";
import type { EventPublisher, Producer } from "@jobstream/queue";
import { activeTracing, type DependencyWatch, type Logger, type RedisClient } from "@jobstream/runtime";
import { authenticate, BearerVerifier, type TokenRules } from "./auth/authenticate";
import { errorMiddleware, notFoundHandler } from "./http/error-middleware";
import { addressLimits, corsFor, rateLimitPerToken, securityHeaders } from "./http/hardening";
import { jsonBodyGuard, textGuard } from "./http/json-guards";
import { SharedRateStore } from "./http/shared-rate-store";
import { hotJobRead, type ServerHandler } from "./jobs/hot-read";
import { createApiMetrics } from "./http/metrics";
import { tracedRequests } from "./http/traced-requests";
import { openApiRouter } from "./openapi/route";
import { actionsRouter } from "./jobs/actions-route";
import { bulkRouter } from "./jobs/bulk-route";
import { enqueueRouter, type EnqueuePolicy } from "./jobs/enqueue-route";
import { childrenRouter } from "./jobs/children-route";
import { listRouter } from "./jobs/list-route";
import { JOB_TOKEN_PATHS, readRouter } from "./jobs/read-route";
import type { ChangeHub } from "./realtime/change-hub";
import type { ReadRouting } from "./replica/read-routing";
import { ConnectionLimiter } from "./realtime/sse";
import { streamRouter } from "./realtime/stream-routes";
import { groupStreamRouter } from "./groups/group-stream-route";
import { groupsRouter } from "./groups/groups-route";
import { BULL_BOARD_PATH, bullBoardRouter, requireOperator } from "./routes/bull-board";
import { jobTypesRouter } from "./routes/job-types";
import { statsRouter } from "./routes/stats";
import { timeseriesRouter } from "./routes/timeseries";
import { queuesRouter } from "./routes/queues";
import { deadLettersRouter } from "./routes/dead-letters";
import { healthRouter } from "./routes/health";
import { dashboardRouter } from "./routes/dashboard";
import { SESSION_COOKIE, sessionRouter } from "./routes/session";
import { scheduleRouter } from "./schedules/schedule-routes";
import { webhookDeliveriesRouter } from "./webhooks/deliveries-route";
import { webhooksRouter } from "./webhooks/webhooks-route";

export interface AppDeps {
  readonly db: Db;
  readonly pool: pg.Pool;
  /** Where reads go: the primary, or DATABASE_READ_URL's replica while it is caught up. */
  readonly reads: ReadRouting;
  readonly redis: RedisClient;
  readonly producer: Producer;
  readonly publisher: EventPublisher;
  readonly logger: Logger;
  /** Bearer-token rules: HS256 key, and the issuer, audience and longest lifetime required. */
  readonly tokenRules: TokenRules;
  readonly prefix: string;
  readonly bodyLimit: string;
  readonly hub: ChangeHub;
  readonly sseKeepAliveMs: number;
  readonly sseMaxPerToken: number;
  readonly corsOrigins: readonly string[];
  readonly rateLimitPerMinute: number;
  /** Express's `trust proxy` (TRUST_PROXY): whose X-Forwarded-For names the client. */
  readonly trustProxy: boolean | number | string;
  /** When set, `/metrics` needs `Authorization: Bearer <metricsToken>` (METRICS_TOKEN). */
  readonly metricsToken?: string;
  /** The built dashboard (apps/dashboard/dist). */
  readonly dashboardDir: string;
  /** Development types on or off, per-org quotas. */
  readonly enqueuePolicy: EnqueuePolicy;
  /** Knows which dependency is out: `/readyz` asks it, failed requests tell it. */
  readonly outages: DependencyWatch;
  /** `WEBHOOK_ALLOW_PRIVATE`: webhooks may target private and loopback addresses. @defaultValue false */
  readonly webhookAllowPrivate?: boolean;
}

/**
 * The server's request handler: the lean path for `GET /v1/jobs/:id` (jobs/hot-read.ts) in front
 * of the Express app, which answers everything else. With tracing on, every request goes to
 * Express (its middleware opens the server spans).
 */
export function createApp(deps: AppDeps): ServerHandler {
  const app = express();
  const tracing = activeTracing();
  const verifier = new BearerVerifier(deps.tokenRules);
  const tokenStore = new SharedRateStore({ redis: deps.redis, prefix: `${deps.prefix}:~ratelimit:` });
  if (tracing !== null) app.use(tracedRequests(tracing));
  const metrics = createApiMetrics({
    producer: deps.producer,
    db: deps.db,
    reads: deps.reads,
    metricsToken: deps.metricsToken,
  });
  app.use(metrics.middleware);
  app.disable("x-powered-by");
  app.set("trust proxy", deps.trustProxy);
  app.set("query parser", "simple");
  app.use(securityHeaders());
  // Without configured origins the cors middleware only passes requests on: it is left out.
  if (deps.corsOrigins.length > 0) app.use(corsFor(deps.corsOrigins));
  app.use(express.json({ limit: deps.bodyLimit, strict: true, type: ["application/json", "application/*+json"] }));
  app.use(jsonBodyGuard);
  app.use(textGuard);
  const session = sessionRouter();
  app.use(session.signOut);
  // Callers without a valid bearer token are counted by address before any lookup (wrong job tokens too).
  const byAddress = addressLimits(deps.redis, deps.prefix, deps.rateLimitPerMinute);
  app.use("/v1", byAddress.anonymous);
  // Reads of one job accept its access token too; everything else needs a bearer token.
  app.use("/v1", byAddress.countingRefusals(authenticate(verifier, { jobTokenPaths: JOB_TOKEN_PATHS })));
  app.use("/v1", rateLimitPerToken(tokenStore, deps.rateLimitPerMinute));
  // After writes: the primary's WAL position, so the caller's next reads see them (docs/replicas.md).
  app.use("/v1", deps.reads.afterWrites);
  // The routes frontends poll come first: Express tries every earlier route of a request in turn.
  // Fixed paths (/v1/jobs/active) before /v1/jobs/:id.
  app.use(listRouter(deps));
  app.use(readRouter(deps));
  const streams = {
    reads: deps.reads,
    hub: deps.hub,
    keepAliveMs: deps.sseKeepAliveMs,
    maxStreamsPerToken: deps.sseMaxPerToken,
    limiter: new ConnectionLimiter(deps.sseMaxPerToken),
  };
  app.use(streamRouter(streams));
  app.use(groupStreamRouter(streams));
  app.use(childrenRouter(deps));
  app.use(healthRouter(deps));
  app.use(metrics.router);
  app.use(openApiRouter(deps.enqueuePolicy.developmentTypes));
  app.use(dashboardRouter(deps.dashboardDir));
  // bull-board's pages are opened by following a link, so its session cookie is accepted there (only).
  app.use(BULL_BOARD_PATH, authenticate(verifier, { cookie: SESSION_COOKIE }), requireOperator);
  app.use(bullBoardRouter(deps));
  app.use(session.session);
  app.use(jobTypesRouter(deps.enqueuePolicy.developmentTypes));
  app.use(statsRouter(deps));
  app.use(timeseriesRouter(deps));
  app.use(queuesRouter(deps));
  app.use(deadLettersRouter(deps));
  app.use(enqueueRouter(deps));
  app.use(bulkRouter(deps));
  app.use(actionsRouter(deps));
  app.use(groupsRouter(deps));
  app.use(scheduleRouter(deps));
  app.use(
    webhooksRouter({
      pool: deps.pool,
      developmentTypes: deps.enqueuePolicy.developmentTypes,
      allowPrivate: deps.webhookAllowPrivate ?? false,
    }),
  );
  app.use(webhookDeliveriesRouter(deps));
  app.use(notFoundHandler);
  app.use(errorMiddleware(deps.logger, deps.outages));
  const viaExpress: ServerHandler = (req, res) => {
    app(req, res);
  };
  if (tracing !== null) return viaExpress;
  return hotJobRead(
    {
      verifier,
      budget: { store: tokenStore, perMinute: deps.rateLimitPerMinute },
      reads: deps.reads,
      logger: deps.logger,
      outages: deps.outages,
      metrics,
      corsOrigins: deps.corsOrigins,
    },
    viaExpress,
  );
}
