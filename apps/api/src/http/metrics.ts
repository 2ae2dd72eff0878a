import { Router, type RequestHandler } from "express";
import { collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Queryable } from "@jobstream/db";
import type { Producer } from "@jobstream/queue";

const QUEUE_STATES = ["waiting", "prioritized", "active", "delayed", "completed", "failed"] as const;

/** The API process's Prometheus metrics: HTTP timings, live queue depths, outbox backlog, process. */
export function createApiMetrics(deps: { readonly producer: Producer; readonly pool: Queryable }): { registry: Registry; middleware: RequestHandler; router: Router } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const http = new Histogram({
    name: "jobstream_http_request_duration_seconds",
    help: "HTTP request duration by route, method and status",
    labelNames: ["route", "method", "status"],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers: [registry],
  });
  new Gauge({
    name: "jobstream_queue_jobs",
    help: "Jobs in BullMQ by type (queue) and state, read when scraped",
    labelNames: ["type", "state"],
    registers: [registry],
    async collect() {
      for (const [type, queue] of deps.producer.queues) {
        const counts = await queue.getJobCounts(...QUEUE_STATES).catch(() => null);
        if (counts) for (const state of QUEUE_STATES) this.set({ type, state }, counts[state] ?? 0);
      }
    },
  });
  new Gauge({
    name: "jobstream_outbox_backlog",
    help: "Jobs stored as pending, not yet in Redis",
    registers: [registry],
    async collect() {
      const { rows } = await deps.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE status = 'pending'`);
      this.set(rows[0]?.n ?? 0);
    },
  });

  const middleware: RequestHandler = (req, res, next) => {
    const end = http.startTimer();
    res.on("finish", () => {
      // The matched route pattern, not the raw path, keeps label values few.
      const route = (req.route as { path?: string } | undefined)?.path ?? "unmatched";
      end({ route: `${req.baseUrl}${route}`, method: req.method, status: String(res.statusCode) });
    });
    next();
  };
  const router = Router();
  router.get("/metrics", async (_req, res) => {
    res.setHeader("content-type", registry.contentType);
    res.send(await registry.metrics());
  });
  return { registry, middleware, router };
}
