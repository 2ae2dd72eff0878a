import { createServer, type Server, type ServerResponse } from "node:http";
import type { Db } from "@jobstream/db";
import type { Registry } from "prom-client";
import { checkReadiness, readinessAnswer, type Redis } from "@jobstream/runtime";
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
  db: Db;
  redis: Redis;
  port: number | undefined;
  host: string;
  registry: Registry;
}): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "GET" && path === "/healthz") {
      send(res, 200, { status: "ok" });
    } else if (req.method === "GET" && path === "/readyz") {
      void checkReadiness(deps).then((readiness) => {
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
  const port = await listenOnHealthPort(server, deps.port, deps.host);
  return { server, port };
}
