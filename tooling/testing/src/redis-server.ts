import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startRedisServer, stopRedisServer } from "@jobstream/launcher/redis-server";
import { freePort } from "./free-port";

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
    this.child = await startRedisServer({ port: this.port, dir: this.dir, persistent: this.persistent });
  }

  /** Stops the server (a persistent one flushes its append-only file first, so a restart keeps the data). */
  async stop(): Promise<void> {
    if (this.child !== undefined) await stopRedisServer(this.child);
  }

  async destroy(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}
