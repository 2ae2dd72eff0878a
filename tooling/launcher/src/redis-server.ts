import { spawn, type ChildProcess } from "node:child_process";
import { Redis } from "ioredis";

/** Whether a Redis answers PING at `url` (one quick try, no retries). */
export async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    connectTimeout: 2000,
  });
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export interface RedisServerOptions {
  readonly port: number;
  /** Where its append-only file goes. */
  readonly dir: string;
  /**
   * Append-only, so a restart keeps the jobs (they live in Redis until they finish); false: a
   * restart comes back empty (tests of Redis losing its data).
   * @defaultValue true
   */
  readonly persistent?: boolean;
  /** @defaultValue 10000 */
  readonly timeoutMs?: number;
}

/**
 * Starts `redis-server` on 127.0.0.1 as Jobstream runs it (never RDB snapshots; `noeviction`,
 * since BullMQ loses jobs when keys are evicted) and resolves once it answers.
 */
export async function startRedisServer(options: RedisServerOptions): Promise<ChildProcess> {
  const { port, dir, persistent = true, timeoutMs = 10_000 } = options;
  const child = spawn(
    "redis-server",
    [
      ...["--bind", "127.0.0.1", "--port", String(port), "--dir", dir],
      ...["--appendonly", persistent ? "yes" : "no", "--save", "", "--maxmemory-policy", "noeviction"],
    ],
    { stdio: "ignore" },
  );
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (!(await redisAnswers(url))) {
    if (child.exitCode !== null) throw new Error(`redis-server on ${port} exited with code ${child.exitCode}`);
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`redis-server on ${port} did not answer in ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return child;
}

/** SIGTERM (a persistent server flushes its append-only file first) and wait for the exit. */
export async function stopRedisServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => {
      resolve();
    });
  });
  child.kill("SIGTERM");
  await exited;
}
