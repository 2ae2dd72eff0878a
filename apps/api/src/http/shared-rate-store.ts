import type { ClientRateLimitInfo, Options, Store } from "express-rate-limit";
import type { RedisClient } from "@jobstream/runtime";

/**
 * Adds a process's hits to the shared counter of a window and answers the window's total and the
 * milliseconds left. A missing or expired key starts a new window of `ARGV[2]` ms.
 */
const ADD_HITS = `
local total = redis.call("INCRBY", KEYS[1], ARGV[1])
local ttl = redis.call("PTTL", KEYS[1])
if ttl < 0 then
  redis.call("PEXPIRE", KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
return { total, ttl }`;

interface Window {
  /** The shared total at the last exchange with Redis (this process's hits included). */
  shared: number;
  /** Hits counted here since then, not yet added in Redis. */
  unsent: number;
  /** Hits being added by the exchange in flight. */
  sending: number;
  resetAt: number;
}

export interface SharedRateStoreOptions {
  readonly redis: RedisClient;
  readonly prefix: string;
  /**
   * How often a process adds the hits it counted locally to the shared counter.
   * @defaultValue 50
   */
  readonly syncMs?: number;
}

/**
 * A fixed-window counter shared by every API process through Redis, with local pre-counting: a
 * key's first hit in a window asks Redis (so a budget spent on other processes is seen at once),
 * later hits are counted in memory and added to Redis every `syncMs`, all keys at once, instead of
 * one Redis round trip per request.
 *
 * Tolerance: within one process the limit is exact. Across P processes a key can exceed the limit
 * by at most what the other P - 1 processes admitted for it during one `syncMs` before they saw
 * the shared total. If Redis does not answer, the first hit of a window fails and express-rate-limit
 * lets it pass (`passOnStoreError`), so no new window starts and the limit is not enforced
 * (windows already open keep counting locally).
 */
export class SharedRateStore implements Store {
  readonly localKeys = false;
  private readonly windows = new Map<string, Window>();
  private windowMs = 60_000;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | null = null;

  constructor(private readonly options: SharedRateStoreOptions) {}

  get prefix(): string {
    return this.options.prefix;
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
    this.timer = setInterval(() => {
      void this.flush();
    }, this.options.syncMs ?? 50);
    this.timer.unref();
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const now = Date.now();
    const window = this.windows.get(key);
    if (window !== undefined && window.resetAt > now) {
      window.unsent += 1;
      return { totalHits: window.shared + window.sending + window.unsent, resetTime: new Date(window.resetAt) };
    }
    this.windows.delete(key);
    const [total, ttl] = await this.add(key, 1);
    // Hits counted while this answer travelled were counted on a window that has since started.
    const fresh: Window = { shared: total, unsent: 0, sending: 0, resetAt: Date.now() + ttl };
    const raced = this.windows.get(key);
    if (raced !== undefined) fresh.unsent = raced.unsent + raced.sending;
    this.windows.set(key, fresh);
    return { totalHits: fresh.shared + fresh.unsent, resetTime: new Date(fresh.resetAt) };
  }

  /**
   * Counts a hit of `key` without waiting, when this process has the key's window open and the
   * hit stays within `limit`: the count and the window's end. Otherwise counts nothing and answers
   * undefined (the caller then goes through {@link increment}, which may ask Redis).
   */
  hitWithin(key: string, limit: number): { used: number; resetAt: number } | undefined {
    const window = this.windows.get(key);
    if (window === undefined || window.resetAt <= Date.now()) return undefined;
    const used = window.shared + window.sending + window.unsent + 1;
    if (used > limit) return undefined;
    window.unsent += 1;
    return { used, resetAt: window.resetAt };
  }

  decrement(key: string): void {
    const window = this.windows.get(key);
    if (window !== undefined) window.unsent -= 1;
  }

  resetKey(key: string): Promise<void> {
    this.windows.delete(key);
    return this.options.redis.del(this.options.prefix + key).then(() => undefined);
  }

  shutdown(): Promise<void> {
    clearInterval(this.timer);
    return this.flush();
  }

  /** Adds the hits counted locally to Redis and takes back each key's shared total. */
  flush(): Promise<void> {
    this.flushing ??= this.send().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async send(): Promise<void> {
    const now = Date.now();
    const batch: [string, Window][] = [];
    for (const [key, window] of this.windows) {
      if (window.resetAt <= now) this.windows.delete(key);
      else if (window.unsent !== 0) {
        window.sending = window.unsent;
        window.unsent = 0;
        batch.push([key, window]);
      }
    }
    if (batch.length === 0) return;
    // Sent together without waiting for each other (not as an ioredis pipeline object: building
    // one costs more CPU than the few commands a tick carries).
    await Promise.all(
      batch.map(async ([key, window]) => {
        const answer = await this.add(key, window.sending).catch(() => null);
        if (answer === null)
          window.unsent += window.sending; // Redis did not take them: send again later.
        else window.shared = answer[0];
        window.sending = 0;
      }),
    );
  }

  private async add(key: string, hits: number): Promise<[number, number]> {
    const reply = (await this.options.redis.eval(ADD_HITS, 1, this.options.prefix + key, hits, this.windowMs)) as [
      number,
      number,
    ];
    return reply;
  }
}
