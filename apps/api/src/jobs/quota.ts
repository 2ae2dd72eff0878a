import { countUnfinishedJobs, type Queryable } from "@jobstream/db";
import { keysFor } from "@jobstream/queue";
import { isCluster, type Logger, type RedisClient } from "@jobstream/runtime";
import { ApiError } from "../http/errors";

/** Per-org enqueue limits (API env); 0 means unlimited. */
export interface QuotaLimits {
  readonly maxUnfinishedJobs: number;
  readonly enqueuePerMinute: number;
  /**
   * Items (as the inputs declare them) one org may enqueue per minute. Job counts alone let one
   * org ask for hundreds of millions of item rows a minute and bury the shared mirror.
   */
  readonly itemsPerMinute: number;
}

/** What one enqueue asks of one org's budgets. */
export interface OrgDemand {
  readonly jobs: number;
  readonly items: number;
}

type RateLimit = "enqueuePerMinute" | "itemsPerMinute";

const WINDOW_MS = 60_000;
/** No finish time can be predicted: clients come back after this long. */
const UNFINISHED_RETRY_AFTER_S = 30;

/**
 * Takes `ARGV[1]` jobs from an org's window of `ARGV[3]` ms only if all of them fit under the limit
 * `ARGV[2]` (a batch is admitted whole or not at all). Answers { admitted (1/0), ms left in the window }.
 */
const TAKE = `
local used = tonumber(redis.call("GET", KEYS[1]) or "0")
local ttl = redis.call("PTTL", KEYS[1])
if used + tonumber(ARGV[1]) > tonumber(ARGV[2]) then
  return { 0, ttl }
end
redis.call("INCRBY", KEYS[1], ARGV[1])
if ttl < 0 then
  redis.call("PEXPIRE", KEYS[1], ARGV[3])
  ttl = tonumber(ARGV[3])
end
return { 1, ttl }`;

function exceeded(
  limit: "maxUnfinishedJobs" | RateLimit,
  value: number,
  orgId: string,
  requested: number,
  retryAfterS: number,
) {
  const what = {
    maxUnfinishedJobs: "unfinished jobs",
    enqueuePerMinute: "jobs enqueued per minute",
    itemsPerMinute: "items enqueued per minute",
  }[limit];
  return new ApiError(
    "quota_exceeded",
    `the org's limit of ${value} ${what} would be exceeded; nothing was enqueued`,
    { limit, value, orgId, requested },
    { "retry-after": String(Math.max(1, retryAfterS)) },
  );
}

/**
 * Checks an enqueue against the quotas, and takes its jobs and items from the per-minute budgets.
 * Throws 429 quota_exceeded (nothing taken) when any org is over a limit.
 *
 * The unfinished-jobs check is a bounded count (index `jobs_org_status_idx`, at most `limit` rows);
 * concurrent enqueues of one org can each pass it, so the limit may be overshot by what they add
 * together (it is a guard against runaway producers, not an exact budget). If Redis does not
 * answer, the rates are not enforced: enqueue keeps working through the outbox.
 */
export async function admitEnqueue(
  deps: { readonly pool: Queryable; readonly redis: RedisClient; readonly prefix: string; readonly logger: Logger },
  limits: QuotaLimits,
  demands: ReadonlyMap<string, OrgDemand>,
): Promise<void> {
  if (limits.maxUnfinishedJobs > 0) {
    for (const [orgId, { jobs }] of demands) {
      const unfinished = await countUnfinishedJobs(deps.pool, orgId, limits.maxUnfinishedJobs);
      if (unfinished + jobs > limits.maxUnfinishedJobs) {
        throw exceeded("maxUnfinishedJobs", limits.maxUnfinishedJobs, orgId, jobs, UNFINISHED_RETRY_AFTER_S);
      }
    }
  }
  const keys = keysFor(deps.prefix, isCluster(deps.redis));
  const budgets: { limit: RateLimit; value: number; key: (orgId: string) => string; take: (d: OrgDemand) => number }[] =
    [
      {
        limit: "enqueuePerMinute",
        value: limits.enqueuePerMinute,
        key: (orgId) => keys.enqueueQuota(orgId),
        take: (d) => d.jobs,
      },
      {
        limit: "itemsPerMinute",
        value: limits.itemsPerMinute,
        key: (orgId) => keys.enqueueItemsQuota(orgId),
        take: (d) => d.items,
      },
    ];
  const taken: [string, number][] = [];
  try {
    for (const budget of budgets) {
      if (budget.value <= 0) continue;
      for (const [orgId, demand] of demands) {
        const n = budget.take(demand);
        if (n === 0) continue;
        const key = budget.key(orgId);
        const [admitted, ttl] = (await deps.redis.eval(TAKE, 1, key, n, budget.value, WINDOW_MS)) as [number, number];
        if (admitted !== 1) {
          // Give back what this request took before: it enqueues nothing.
          for (const [k, m] of taken) await deps.redis.decrby(k, m);
          const retryAfterS = Math.ceil((ttl > 0 ? ttl : WINDOW_MS) / 1000);
          throw exceeded(budget.limit, budget.value, orgId, n, retryAfterS);
        }
        taken.push([key, n]);
      }
    }
  } catch (error) {
    if (error instanceof ApiError) throw error;
    deps.logger.warn({ err: (error as Error).message }, "enqueue rate quotas not checked: redis unavailable");
  }
}
