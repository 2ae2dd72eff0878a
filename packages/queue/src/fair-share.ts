import type { RedisClient } from "@jobstream/runtime";
import type { Keys } from "./keys";

/** BullMQ's largest priority (`PRIORITY_LIMIT`): its prioritized set scores priority × 2³² + a counter. */
export const BULL_PRIORITY_LIMIT = 2 ** 21 - 1;

/** An org's counters expire after this long without an enqueue (they are only kept while they matter). */
const ORG_STATE_TTL_MS = 7 * 86_400_000;

/**
 * Start-time fair queuing on BullMQ priorities (docs/fair-share.md). Each job gets a virtual start
 * tag: the later of the queue's virtual time (the tag at the head of the prioritized set, or past
 * the last tag handed out when nothing waits) and its org's next free tag at its own priority or
 * above; its org's next free tag at that priority then moves one on. Orgs with work waiting thus
 * alternate one job each whatever their backlogs; a new or returning org starts at the current
 * virtual time (it neither jumps ahead nor waits behind history); within an org, a job of higher
 * priority is placed before the org's queued jobs of lower priority. The BullMQ priority is the tag
 * minus the queue's base, so ties keep BullMQ's FIFO counter order.
 *
 * When a tag would pass BullMQ's limit, the base moves up to the virtual time and every job Redis
 * holds for the queue (prioritized, delayed, waiting for children, active) is shifted by the same
 * amount: rare (every ~2 million tags) and O(jobs held).
 *
 * KEYS: queue state hash (`b` base, `v` next tag after the last one), prioritized zset, then one
 * hash per org (field priority → next free tag). ARGV: limit, org state ttl, the queue's job key
 * prefix, then per job its org's KEYS index (from 1) and its Jobstream priority.
 * Returns each job's BullMQ priority.
 */
const FAIR_TAGS = `
local SHIFT = 4294967296
local limit = tonumber(ARGV[1])
local base = tonumber(redis.call('HGET', KEYS[1], 'b') or '0')
local top = tonumber(redis.call('HGET', KEYS[1], 'v') or tostring(base))
local vt = top
local head = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if head[2] then vt = base + math.floor(tonumber(head[2]) / SHIFT) - 1 end
local orgs = {}
local function org(i)
  local o = orgs[i]
  if o then return o end
  o = { levels = {}, changed = {} }
  local flat = redis.call('HGETALL', KEYS[i + 2])
  for j = 1, #flat, 2 do
    local g = tonumber(flat[j + 1])
    -- A counter at or below the virtual time no longer holds anything back: drop it.
    if g > vt then o.levels[tonumber(flat[j])] = g else redis.call('HDEL', KEYS[i + 2], flat[j]) end
  end
  orgs[i] = o
  return o
end
local tags = {}
local highest = vt
local n = (#ARGV - 3) / 2
for k = 1, n do
  local o = org(tonumber(ARGV[2 + 2 * k]))
  local p = tonumber(ARGV[3 + 2 * k])
  local s = vt
  for level, g in pairs(o.levels) do
    if level >= p and g > s then s = g end
  end
  o.levels[p] = s + 1
  o.changed[p] = true
  tags[k] = s
  if s > highest then highest = s end
end
for i, o in pairs(orgs) do
  for p, _ in pairs(o.changed) do redis.call('HSET', KEYS[i + 2], p, o.levels[p]) end
  redis.call('PEXPIRE', KEYS[i + 2], ARGV[2])
end
if highest + 1 > top then top = highest + 1 end
if highest - base + 1 > limit and vt - base > limit / 4 then
  local delta = vt - base
  local jobs = ARGV[3]
  local function shift(id)
    local p = tonumber(redis.call('HGET', jobs .. id, 'priority') or '0')
    if p and p > 0 then redis.call('HSET', jobs .. id, 'priority', math.max(1, p - delta)) end
  end
  local queued = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
  for j = 1, #queued, 2 do
    local score = tonumber(queued[j + 1])
    local p = math.floor(score / SHIFT)
    local np = math.max(1, p - delta)
    redis.call('ZADD', KEYS[2], np * SHIFT + (score - p * SHIFT), queued[j])
    redis.call('HSET', jobs .. queued[j], 'priority', np)
  end
  for _, id in ipairs(redis.call('ZRANGE', jobs .. 'delayed', 0, -1)) do shift(id) end
  for _, id in ipairs(redis.call('ZRANGE', jobs .. 'waiting-children', 0, -1)) do shift(id) end
  for _, id in ipairs(redis.call('LRANGE', jobs .. 'active', 0, -1)) do shift(id) end
  base = vt
  redis.call('HSET', KEYS[1], 'b', base)
end
redis.call('HSET', KEYS[1], 'v', top)
local out = {}
for k = 1, n do out[k] = math.min(limit, math.max(1, tags[k] - base + 1)) end
return out`;

/** What fair share needs of a job: its queue, org and Jobstream priority (0–100, higher first). */
export interface FairShareJob {
  readonly id: string;
  readonly type: string;
  readonly orgId: string;
  readonly priority: number;
}

/**
 * Redis keys of a queue's fair-share state: under the queue's own keys (`bullPrefix` is the queue's
 * BullMQ prefix, hash-tagged on a cluster), so they share its slot and `obliterate`.
 */
export const fairShareKeys = {
  state: (prefix: string, queue: string) => `${prefix}:${queue}:fair`,
  org: (prefix: string, queue: string, orgId: string) => `${prefix}:${queue}:fair:${orgId}`,
};

type FairCommand = (numKeys: number, ...args: (string | number)[]) => Promise<number[]>;

/** Hands out fair-share BullMQ priorities, one Redis call per queue. */
export class FairShare {
  private readonly tags: FairCommand;

  /** `keys`: the deployment's (a `Producer`'s), so the state lives beside each queue's BullMQ keys. */
  constructor(
    redis: RedisClient,
    private readonly keys: Keys,
  ) {
    const commands = redis as unknown as Record<string, FairCommand | undefined>;
    if (commands.jobstreamFairTags === undefined) redis.defineCommand("jobstreamFairTags", { lua: FAIR_TAGS });
    const command = commands.jobstreamFairTags;
    if (command === undefined) throw new Error("jobstreamFairTags was not defined");
    this.tags = command.bind(redis);
  }

  /** The BullMQ priority of each job, by id (jobs in the order given take consecutive tags per org). */
  async priorities(jobs: readonly FairShareJob[]): Promise<Map<string, number>> {
    const byQueue = new Map<string, FairShareJob[]>();
    for (const job of jobs) {
      const list = byQueue.get(job.type);
      if (list) list.push(job);
      else byQueue.set(job.type, [job]);
    }
    const result = new Map<string, number>();
    await Promise.all(
      [...byQueue].map(async ([queue, list]) => {
        const orgs = [...new Set(list.map((j) => j.orgId))];
        const bullPrefix = this.keys.bullPrefix(queue);
        const index = new Map(orgs.map((org, i) => [org, i + 1]));
        const keys = [
          fairShareKeys.state(bullPrefix, queue),
          `${bullPrefix}:${queue}:prioritized`,
          ...orgs.map((org) => fairShareKeys.org(bullPrefix, queue, org)),
        ];
        const args = list.flatMap((j) => [index.get(j.orgId) ?? 1, j.priority]);
        const priorities = await this.tags(
          keys.length,
          ...keys,
          BULL_PRIORITY_LIMIT,
          ORG_STATE_TTL_MS,
          `${bullPrefix}:${queue}:`,
          ...args,
        );
        list.forEach((job, i) => result.set(job.id, priorities[i] ?? BULL_PRIORITY_LIMIT));
      }),
    );
    return result;
  }
}
