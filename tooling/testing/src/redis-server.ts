import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { freePort } from "./free-port";
import { waitFor } from "./wait";

/**
 * A private redis-server a test may stop and start: append-only like production by default, or
 * `persistent: false` so that every restart comes back EMPTY (Redis lost its data).
 */
export class PrivateRedis {
  private child: ChildProcess | undefined;
  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly persistent: boolean,
  ) {}

  static async create(options: { persistent?: boolean } = {}): Promise<PrivateRedis> {
    const redis = new PrivateRedis(
      await freePort(),
      await mkdtemp(join(tmpdir(), "jobstream-redis-")),
      options.persistent ?? true,
    );
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.child = spawn(
      "redis-server",
      [
        "--port",
        String(this.port),
        "--bind",
        "127.0.0.1",
        "--dir",
        this.dir,
        "--save",
        "",
        "--appendonly",
        this.persistent ? "yes" : "no",
        "--maxmemory-policy",
        "noeviction",
      ],
      { stdio: "ignore" },
    );
    await waitFor(
      `redis on ${this.port}`,
      async () => {
        const client = new Redis(this.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
        client.on("error", () => undefined);
        try {
          await client.connect();
          await client.ping();
          return true;
        } finally {
          client.disconnect();
        }
      },
      { timeoutMs: 10_000 },
    );
  }

  /** Stops the server (a persistent one flushes its append-only file first, so a restart keeps the data). */
  async stop(): Promise<void> {
    const child = this.child;
    if (child?.exitCode !== null) return;
    child.kill("SIGTERM");
    await once(child, "exit");
  }

  async destroy(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}
