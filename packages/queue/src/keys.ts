import { streamName } from "./shards";

/**
 * Jobstream's own Redis keys live under the BullMQ prefix (so one prefix holds a deployment's
 * whole Redis state) behind a `~` that no queue name can contain.
 */
export interface Keys {
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

export function keysFor(prefix: string): Keys {
  return {
    events: (queue, shard) => `${prefix}:~events:${streamName(queue, shard)}`,
    seq: (queue, shard) => `${prefix}:~seq:${streamName(queue, shard)}`,
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
