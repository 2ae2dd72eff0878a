import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

/**
 * Renews this mirror's entry (expiring `ttlMs` from now, in Redis time so hosts' clocks do not
 * matter), drops expired ones and returns how many mirrors are live. KEYS: the registry.
 * ARGV: mirror id, ttl.
 */
const HEARTBEAT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return redis.call('ZCARD', KEYS[1])`;

/**
 * The live mirror processes of a deployment: a sorted set of ids scored by expiry. A mirror that
 * dies drops out after `ttlMs`, and the others' fair share of the shards grows.
 */
export class MirrorRegistry {
  readonly id = randomUUID();

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly ttlMs: number,
  ) {}

  /** Says this mirror is alive; returns the live mirrors, this one included. */
  async heartbeat(): Promise<number> {
    return (await this.redis.eval(HEARTBEAT, 1, this.key, this.id, this.ttlMs)) as number;
  }

  /** On stop: the others take over its shards without waiting for the entry to expire. */
  async leave(): Promise<void> {
    await this.redis.zrem(this.key, this.id);
  }
}
