import { createServer, type Server, type ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import { metricsAuthorized, readinessAnswer, type DependencyWatch } from "@jobstream/runtime";
import { listenOnHealthPort } from "./health-port";

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

/**
 * The worker's own `/healthz` and `/readyz`, so orchestrators can probe it like the API. `port`
 * undefined = the next free one from 3001 (see health-port.ts); resolves with the port it listens on.
 */
export async function startHealthServer(deps: {
  outages: DependencyWatch;
  port: number | undefined;
  host: string;
  registry: Registry;
  /** When set, `/metrics` needs `Authorization: Bearer <metricsToken>` (METRICS_TOKEN). */
  metricsToken?: string | undefined;
}): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/healthz") {
      send(res, 200, { status: "ok" });
    } else if (req.method === "GET" && path === "/readyz") {
      void deps.outages.check().then((readiness) => {
        const answer = readinessAnswer(readiness);
        send(res, answer.status, answer.body);
      });
    } else if (
      req.method === "GET" &&
      path === "/metrics" &&
      !metricsAuthorized(req.headers.authorization, deps.metricsToken)
    ) {
      send(res, 401, {
        error: { code: "unauthorized", message: "metrics need `Authorization: Bearer <METRICS_TOKEN>`" },
      });
    } else if (req.method === "GET" && path === "/metrics") {
      void deps.registry.metrics().then((text) => {
        res.writeHead(200, { "content-type": deps.registry.contentType });
        res.end(text);
      });
    } else {
      send(res, 404, { error: { code: "not_found", message: `no route for ${req.method ?? "?"} ${path ?? "/"}` } });
    }
  });
  const port = await listenOnHealthPort(server, deps.port, deps.host);
  return { server, port };
}
