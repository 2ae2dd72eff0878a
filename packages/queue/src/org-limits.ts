import type { RedisClient } from "@jobstream/runtime";
import type { Keys } from "./keys";

/**
 * Redis keys of per-org caps, under the queue's own keys (`bullPrefix`: the queue's BullMQ prefix,
 * hash-tagged on a cluster; same slot, removed by `obliterate`).
 */
export const orgLimitKeys = {
  /** Hash orgId → the operator's cap for that org in this queue. */
  limits: (prefix: string, queue: string) => `${prefix}:${queue}:orglimits`,
  /** Sorted set of the org's running jobs in this queue, scored by when their slot lapses. */
  running: (prefix: string, queue: string, orgId: string) => `${prefix}:${queue}:orgrun:${orgId}`,
};

/**
 * Takes a run slot for a job of a capped org. The cap is the operator's (limits hash) or else the
 * default given; none (0) lets the job run untracked. A slot lapses at its deadline, so a killed
 * worker's slots free themselves; a job run again (stalled, handed back) keeps its own slot.
 * KEYS: limits hash, the org's running set. ARGV: org, job id, now, slot lifetime, default cap.
 * Returns 1 (run) or 0 (over the cap).
 */
const ACQUIRE = `
local cap = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or ARGV[5])
if cap <= 0 then return 1 end
local now = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local deadline = now + tonumber(ARGV[4])
if not redis.call('ZSCORE', KEYS[2], ARGV[2]) and redis.call('ZCARD', KEYS[2]) >= cap then return 0 end
redis.call('ZADD', KEYS[2], deadline, ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return 1`;

type Acquire = (
  limits: string,
  running: string,
  orgId: string,
  jobId: string,
  now: number,
  lifetimeMs: number,
  defaultCap: number,
) => Promise<number>;

/** How long a worker trusts its copy of a queue's operator caps (a new cap applies within this). */
const LIMITS_CACHE_MS = 1000;

/**
 * Per-org concurrency caps as workers check them when a job starts. A job of an org without a cap
 * costs no Redis call: the operator's caps are read once a second per queue.
 */
export class OrgSlots {
  private readonly acquire: Acquire;
  private readonly cached = new Map<string, { at: number; limits: Promise<Record<string, string>> }>();

  /** `keys`: the deployment's (a `Producer`'s), so the caps live beside each queue's BullMQ keys. */
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
  ) {
    const commands = redis as unknown as Record<string, Acquire | undefined>;
    if (commands.jobstreamOrgSlot === undefined)
      redis.defineCommand("jobstreamOrgSlot", { numberOfKeys: 2, lua: ACQUIRE });
    const command = commands.jobstreamOrgSlot;
    if (command === undefined) throw new Error("jobstreamOrgSlot was not defined");
    this.acquire = command.bind(redis);
  }

  /**
   * Whether the job may run now: `untracked` (its org has no cap), `taken` (it holds a slot for
   * `lifetimeMs` or until `release`) or `full`.
   */
  async take(
    queue: string,
    orgId: string,
    jobId: string,
    defaultCap: number,
    lifetimeMs: number,
  ): Promise<"untracked" | "taken" | "full"> {
    const own = (await this.limitsOf(queue))[orgId];
    if ((own === undefined ? defaultCap : Number(own)) <= 0) return "untracked";
    const limits = orgLimitKeys.limits(this.keys.bullPrefix(queue), queue);
    const running = orgLimitKeys.running(this.keys.bullPrefix(queue), queue, orgId);
    return (await this.acquire(limits, running, orgId, jobId, Date.now(), lifetimeMs, defaultCap)) === 1
      ? "taken"
      : "full";
  }

  private limitsOf(queue: string): Promise<Record<string, string>> {
    const now = Date.now();
    const hit = this.cached.get(queue);
    if (hit !== undefined && now - hit.at < LIMITS_CACHE_MS) return hit.limits;
    const limits = this.redis.hgetall(orgLimitKeys.limits(this.keys.bullPrefix(queue), queue));
    // A failed read is not kept: the next job asks again.
    limits.catch(() => this.cached.delete(queue));
    this.cached.set(queue, { at: now, limits });
    return limits;
  }

  async release(queue: string, orgId: string, jobId: string): Promise<void> {
    await this.redis.zrem(orgLimitKeys.running(this.keys.bullPrefix(queue), queue, orgId), jobId);
  }
}

/** An org's cap in a queue as the operator set it (null: the workers' default applies) and its jobs holding slots. */
export interface OrgLimitState {
  readonly limit: number | null;
  readonly running: number;
}

export async function readOrgLimit(
  redis: RedisClient,
  keys: Keys,
  queue: string,
  orgId: string,
): Promise<OrgLimitState> {
  const bullPrefix = keys.bullPrefix(queue);
  const running = orgLimitKeys.running(bullPrefix, queue, orgId);
  const [limit, , count] = await redis
    .multi()
    .hget(orgLimitKeys.limits(bullPrefix, queue), orgId)
    .zremrangebyscore(running, "-inf", Date.now())
    .zcard(running)
    .exec()
    .then((replies) => (replies ?? []).map(([error, value]) => (error === null ? value : null)));
  return { limit: typeof limit === "string" ? Number(limit) : null, running: typeof count === "number" ? count : 0 };
}

/** Sets (a number) or removes (null) the operator's cap of an org in a queue. */
export async function writeOrgLimit(
  redis: RedisClient,
  keys: Keys,
  queue: string,
  orgId: string,
  limit: number | null,
): Promise<void> {
  const key = orgLimitKeys.limits(keys.bullPrefix(queue), queue);
  if (limit === null) await redis.hdel(key, orgId);
  else await redis.hset(key, orgId, limit);
}
