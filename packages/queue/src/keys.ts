/**
 * Jobstream's own Redis keys live under the BullMQ prefix (so one prefix holds a deployment's
 * whole Redis state) behind a `~` that no queue name can contain.
 */
export interface Keys {
  /** Stream of worker-published job events of one queue; trimmed only after the mirror commits. */
  events(queue: string): string;
  /** Hash jobId → last sequence number handed out for that job's events. */
  seq(queue: string): string;
  /** Pub/sub channel carrying cancel requests to whichever worker holds a job. */
  cancelChannel(): string;
  /** Marker that a job was asked to stop (seen by a worker that picks it up later). */
  cancelFlag(jobId: string): string;
  /** Pub/sub channel announcing ids of jobs whose rows just changed (for realtime streams). */
  changesChannel(): string;
  /** Lease of the mirror that owns a queue's event stream. */
  mirrorLease(queue: string): string;
  /** Leader lease of the housekeeper. */
  housekeeperLeader(): string;
  /** Jobs an org enqueued in the current one-minute window (API quota). */
  enqueueQuota(orgId: string): string;
  /** Items (as declared by the inputs) an org enqueued in the current minute. */
  enqueueItemsQuota(orgId: string): string;
}

export function keysFor(prefix: string): Keys {
  return {
    events: (queue) => `${prefix}:~events:${queue}`,
    seq: (queue) => `${prefix}:~seq:${queue}`,
    cancelChannel: () => `${prefix}:~cancel`,
    cancelFlag: (jobId) => `${prefix}:~cancelled:${jobId}`,
    changesChannel: () => `${prefix}:~changes`,
    mirrorLease: (queue) => `${prefix}:~lease:mirror:${queue}`,
    housekeeperLeader: () => `${prefix}:~lease:housekeeper`,
    enqueueQuota: (orgId) => `${prefix}:~quota:enqueue:${orgId}`,
    enqueueItemsQuota: (orgId) => `${prefix}:~quota:items:${orgId}`,
  };
}

/** Consumer group and consumer of the event streams: one owner per stream at a time (lease). */
export const MIRROR_GROUP = "mirror";
export const MIRROR_CONSUMER = "owner";
