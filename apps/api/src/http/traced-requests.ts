import type { RequestHandler } from "express";
import type { Tracing } from "@jobstream/runtime";

/**
 * A server span per request, continuing the caller's `traceparent`; an enqueue's span (and so
 * every job it stores) hangs below it. Written here rather than taken from
 * `@opentelemetry/instrumentation-http`/`-express`: those patch modules through require/import
 * hooks, which for these ESM processes means an `--import` loader flag on every way they start.
 */
export function tracedRequests(tracing: Tracing): RequestHandler {
  return (req, res, next) => {
    const span = tracing.request(req.method, req.headers, [req, res]);
    res.once("close", () => {
      // The matched route pattern names the span (as the metrics label it), not the raw path.
      const route = (req.route as { path?: string } | undefined)?.path;
      span.end(route === undefined ? req.method : `${req.method} ${req.baseUrl}${route}`, res.statusCode);
    });
    span.run(next);
  };
}
