import { randomUUID } from "node:crypto";
import type { RedisClient } from "@jobstream/runtime";

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

/**
 * A Redis lease (SET NX PX, renewed only by its holder): one housekeeper leader, one mirror per
 * stream. A holder that dies loses it after `ttlMs`.
 */
export class Lease {
  readonly owner = randomUUID();

  constructor(
    private readonly redis: RedisClient,
    readonly key: string,
    private readonly ttlMs: number,
  ) {}

  /** Takes the lease if free, or renews it if held; true while this process holds it. */
  async hold(): Promise<boolean> {
    const renewed = (await this.redis.eval(RENEW, 1, this.key, this.owner, this.ttlMs)) as number;
    if (renewed === 1) return true;
    return (await this.redis.set(this.key, this.owner, "PX", this.ttlMs, "NX")) === "OK";
  }

  async release(): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key, this.owner);
  }
}
