import { NO_QUEUE_GROUPS, type QueueGroups } from "./queue-groups";
import { streamName } from "./shards";

/**
 * Every Redis key and channel of a deployment is built here. Jobstream's own keys live under the
 * BullMQ prefix (so one prefix holds a deployment's whole Redis state) behind a `~` that no queue
 * name can contain.
 *
 * On a Redis Cluster (`clustered`), keys a single command or Lua script touches together must hash
 * to one slot: each queue gets a hash tag `{<queue>}` — BullMQ's prefix becomes
 * `<prefix>:{<queue>}` — and each event-stream shard gets `{<streamName>}` (`{<queue>}` for shard
 * 0, `{<queue>#<n>}` beyond), carried by its stream and its sequence hash, so shards can live on
 * different nodes. Queues of one group (`REDIS_CLUSTER_QUEUE_GROUPS`) share their first member's
 * tag, so a flow may mix them. On one server the names are those of earlier releases (no tags,
 * groups ignored), so existing deployments keep their Redis state.
 */
export interface Keys {
  /** Whether keys carry hash tags (Redis Cluster). */
  readonly clustered: boolean;
  /**
   * The `prefix` option of a queue's BullMQ Queue, Worker and flow nodes: the deployment prefix,
   * plus the queue's hash tag on a cluster (BullMQ's Lua scripts touch many keys of one queue).
   */
  bullPrefix(queue: string): string;
  /**
   * The hash tag of a queue's BullMQ keys on a cluster (its group's first member, else the queue
   * itself): jobs of one flow must share it. Null on one server, where a flow may span any queues.
   */
  bullTag(queue: string): string | null;
  /** A queue as BullMQ names it in a job's parent key (`<bull prefix>:<queue>`). */
  bullQueueKey(queue: string): string;
  /**
   * Stream of worker-published job events of one shard of a queue (`shardOf` the job id; shard 0 of
   * an unsharded deployment); trimmed only after the mirror commits.
   */
  events(queue: string, shard: number): string;
  /** Hash jobId → last sequence number handed out for the events of that shard's jobs. */
  seq(queue: string, shard: number): string;
  /** Pub/sub channel carrying cancel requests to whichever worker holds a job. */
  cancelChannel(): string;
  /** Marker that a job was asked to stop (seen by a worker that picks it up later). */
  cancelFlag(jobId: string): string;
  /** Pub/sub channel announcing ids of jobs whose rows just changed (for realtime streams). */
  changesChannel(): string;
  /** Lease of the mirror that owns one shard of a queue's event stream. */
  mirrorLease(queue: string, shard: number): string;
  /** Sorted set of live mirror processes (member: mirror id, score: expiry in Redis time, ms). */
  mirrors(): string;
  /** The largest `MIRROR_SHARDS` any process used: mirrors drain every shard below it that holds entries. */
  mirrorShards(): string;
  /** Leader lease of the housekeeper. */
  housekeeperLeader(): string;
  /** Jobs an org enqueued in the current one-minute window (API quota). */
  enqueueQuota(orgId: string): string;
  /** Items (as declared by the inputs) an org enqueued in the current minute. */
  enqueueItemsQuota(orgId: string): string;
}

/**
 * The keys of a deployment. `groups` changes BullMQ prefixes on a cluster, so every process must
 * build them with the same groups: take a `Producer`'s `keys` (made from the deployment's
 * `REDIS_CLUSTER_QUEUE_GROUPS`) wherever a queue's BullMQ keys are named.
 */
export function keysFor(prefix: string, clustered: boolean, groups: QueueGroups = NO_QUEUE_GROUPS): Keys {
  // `{name}` on a cluster: Redis hashes only what is inside the first braces.
  const tagged = (name: string) => (clustered ? `{${name}}` : name);
  const tagOf = (queue: string) => groups.get(queue) ?? queue;
  const bullPrefix = (queue: string) => (clustered ? `${prefix}:${tagged(tagOf(queue))}` : prefix);
  return {
    clustered,
    bullPrefix,
    bullTag: (queue) => (clustered ? tagOf(queue) : null),
    bullQueueKey: (queue) => `${bullPrefix(queue)}:${queue}`,
    events: (queue, shard) => `${prefix}:~events:${tagged(streamName(queue, shard))}`,
    seq: (queue, shard) => `${prefix}:~seq:${tagged(streamName(queue, shard))}`,
    cancelChannel: () => `${prefix}:~cancel`,
    cancelFlag: (jobId) => `${prefix}:~cancelled:${jobId}`,
    changesChannel: () => `${prefix}:~changes`,
    mirrorLease: (queue, shard) => `${prefix}:~lease:mirror:${streamName(queue, shard)}`,
    mirrors: () => `${prefix}:~mirrors`,
    mirrorShards: () => `${prefix}:~mirror-shards`,
    housekeeperLeader: () => `${prefix}:~lease:housekeeper`,
    enqueueQuota: (orgId) => `${prefix}:~quota:enqueue:${orgId}`,
    enqueueItemsQuota: (orgId) => `${prefix}:~quota:items:${orgId}`,
  };
}

/** Consumer group and consumer of the event streams: one owner per stream at a time (lease). */
export const MIRROR_GROUP = "mirror";
export const MIRROR_CONSUMER = "owner";
