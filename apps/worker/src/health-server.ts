import { once } from "node:events";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import { readinessAnswer, type DependencyWatch } from "@jobstream/runtime";

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

/** The worker's own `/healthz` and `/readyz`, so orchestrators can probe it like the API. */
export async function startHealthServer(deps: { outages: DependencyWatch; port: number; host: string; registry: Registry }): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/healthz") {
      send(res, 200, { status: "ok" });
    } else if (req.method === "GET" && path === "/readyz") {
      void deps.outages.check().then((readiness) => {
        const answer = readinessAnswer(readiness);
        send(res, answer.status, answer.body);
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
  server.listen(deps.port, deps.host);
  await once(server, "listening");
  return server;
}
