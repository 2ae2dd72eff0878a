import type { Response } from "express";

/** A Server-Sent Events response: headers, events, keep-alive comments, and its end. */
export class SseStream {
  private readonly keepAlive: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly res: Response,
    keepAliveMs: number,
    onClose: () => void,
  ) {
    res.status(200);
    res.setHeader("content-type", "text/event-stream; charset=utf-8");
    res.setHeader("cache-control", "no-cache, no-transform");
    res.setHeader("connection", "keep-alive");
    // Proxies such as nginx buffer responses unless told not to.
    res.setHeader("x-accel-buffering", "no");
    res.flushHeaders();
    res.write(`retry: 2000\n\n`);
    // Comments keep idle connections open through proxies that drop silent ones.
    this.keepAlive = setInterval(() => {
      res.write(": keep-alive\n\n");
    }, keepAliveMs);
    res.on("close", () => {
      this.closed = true;
      clearInterval(this.keepAlive);
      onClose();
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  send(event: string, id: string, data: unknown): void {
    if (this.closed) return;
    this.res.write(`id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  end(): void {
    if (this.closed) return;
    clearInterval(this.keepAlive);
    this.res.end();
  }
}

/** Bounds open streams per caller (a token or a job's access token). */
export class ConnectionLimiter {
  private readonly open = new Map<string, number>();
  constructor(private readonly max: number) {}

  tryOpen(key: string): (() => void) | null {
    const n = this.open.get(key) ?? 0;
    if (n >= this.max) return null;
    this.open.set(key, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(key) ?? 1) - 1;
      if (left <= 0) this.open.delete(key);
      else this.open.set(key, left);
    };
  }
}
