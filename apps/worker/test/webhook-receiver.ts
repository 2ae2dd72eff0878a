import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** How the receiver answers the n-th request (0-based) to one path; `hang` never answers. */
export type Behaviour = (n: number, req: IncomingMessage, res: ServerResponse) => "hang" | undefined;

/** A real HTTP endpoint for webhook tests: records every request and answers per path. */
export class WebhookReceiver {
  readonly received: Received[] = [];
  private readonly behaviours = new Map<string, Behaviour>();
  private readonly hanging = new Set<ServerResponse>();
  private server: Server | undefined;
  url = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const path = req.url ?? "/";
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : (v ?? "")]),
        );
        const n = this.received.filter((r) => r.path === path).length;
        this.received.push({ path, headers, body: Buffer.concat(chunks).toString() });
        const behaviour = this.behaviours.get(path) ?? (() => undefined);
        if (behaviour(n, req, res) === "hang") this.hanging.add(res);
        else if (!res.headersSent) res.writeHead(204).end();
      });
    });
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
    this.url = `http://127.0.0.1:${String((this.server.address() as AddressInfo).port)}`;
  }

  /** A path of its own for one test, answering as `behaviour` says (default 204). */
  path(name: string, behaviour?: Behaviour): string {
    const path = `/${name}-${Math.random().toString(36).slice(2, 8)}`;
    if (behaviour) this.behaviours.set(path, behaviour);
    return path;
  }

  at(path: string): Received[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** Answers `status` to every request. */
export const answer =
  (status: number, headers: Record<string, string> = {}): Behaviour =>
  (_n, _req, res) => {
    res.writeHead(status, headers).end();
    return undefined;
  };
