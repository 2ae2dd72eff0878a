import { Router, type RequestHandler } from "express";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { countPendingJobs, type Db } from "@jobstream/db";
import type { Producer } from "@jobstream/queue";
import { metricsAuthorized } from "@jobstream/runtime";
import { clusterMetricsSource } from "../cluster/cluster-metrics";
import { registerReplicaMetrics } from "../replica/replica-metrics";
import type { ReadRouting } from "../replica/read-routing";
import { ApiError, errorBody } from "./errors";
import { RefreshedValue } from "./refreshed-value";

const QUEUE_STATES = ["waiting", "prioritized", "active", "delayed", "completed", "failed"] as const;
type QueueState = (typeof QUEUE_STATES)[number];

/** Queue depths and the outbox backlog are read at most this often, whatever the scrape rate. */
const REFRESH_MS = 5000;

export interface ApiMetricsDeps {
  readonly producer: Producer;
  readonly db: Db;
  readonly reads: ReadRouting;
  /** When set, scrapes need `Authorization: Bearer <metricsToken>`. */
  readonly metricsToken?: string;
}

/** The API process's Prometheus metrics: HTTP timings, queue depths and outbox backlog (cached), process. */
export function createApiMetrics(deps: ApiMetricsDeps): {
  registry: Registry;
  middleware: RequestHandler;
  router: Router;
  /** Starts timing a request; the returned function records it under its route, method and status. */
  timeRequest: () => (labels: { route: string; method: string; status: string }) => void;
  /** Requests the lean path answered (jobs/hot-read.ts), by route. */
  leanAnswers: Counter<"route">;
} {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const http = new Histogram({
    name: "jobstream_http_request_duration_seconds",
    help: "HTTP request duration by route, method and status",
    labelNames: ["route", "method", "status"],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [registry],
  });
  const leanAnswers = new Counter({
    name: "jobstream_http_lean_answers_total",
    help: "Requests answered by the lean path without Express (GET /v1/jobs/:id with a known token), by route",
    labelNames: ["route"],
    registers: [registry],
  });
  // A scrape costs no Redis or Postgres round trip: the counts are refreshed in the background.
  const depths = new RefreshedValue(
    async () => {
      const all = new Map<string, Partial<Record<QueueState, number>>>();
      for (const [type, queue] of deps.producer.queues) {
        const counts = await queue.getJobCounts(...QUEUE_STATES).catch(() => null);
        if (counts) all.set(type, counts);
      }
      return all;
    },
    new Map<string, Partial<Record<QueueState, number>>>(),
    REFRESH_MS,
  );
  const backlog = new RefreshedValue(() => countPendingJobs(deps.db), 0, REFRESH_MS);
  new Gauge({
    name: "jobstream_queue_jobs",
    help: `Jobs in BullMQ by type (queue) and state, refreshed at most every ${REFRESH_MS / 1000} s`,
    labelNames: ["type", "state"],
    registers: [registry],
    // Every API process reads the same depths: aggregated across processes, one counts.
    aggregator: "max",
    async collect() {
      for (const [type, counts] of await depths.get())
        for (const state of QUEUE_STATES) this.set({ type, state }, counts[state] ?? 0);
    },
  });
  new Gauge({
    name: "jobstream_outbox_backlog",
    help: `Jobs stored as pending, not yet in Redis, refreshed at most every ${REFRESH_MS / 1000} s`,
    registers: [registry],
    aggregator: "max",
    async collect() {
      this.set(await backlog.get());
    },
  });

  registerReplicaMetrics(registry, deps.reads);

  const middleware: RequestHandler = (req, res, next) => {
    const end = http.startTimer();
    res.on("finish", () => {
      // The matched route pattern, not the raw path, keeps label values few.
      const route = (req.route as { path?: string } | undefined)?.path ?? "unmatched";
      end({ route: `${req.baseUrl}${route}`, method: req.method, status: String(res.statusCode) });
    });
    next();
  };
  // With API_PROCESSES > 1 a scrape answers every process's metrics, aggregated by the primary.
  const metricsText = clusterMetricsSource(registry);
  const router = Router();
  router.get("/metrics", async (req, res) => {
    if (!metricsAuthorized(req.get("authorization"), deps.metricsToken)) {
      res.status(401).json(errorBody("unauthorized", "metrics need `Authorization: Bearer <METRICS_TOKEN>`"));
      return;
    }
    let text: string;
    try {
      text = await metricsText();
    } catch (error) {
      throw new ApiError("unavailable", `metrics could not be gathered from every API process: ${String(error)}`);
    }
    res.setHeader("content-type", registry.contentType);
    res.send(text);
  });
  return { registry, middleware, router, timeRequest: () => http.startTimer(), leanAnswers };
}
