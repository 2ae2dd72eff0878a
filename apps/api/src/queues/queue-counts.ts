import type { Queue } from "bullmq";
import type { QueueDepth } from "@jobstream/contract";

export type QueueCounts = Omit<QueueDepth, "type">;

/** BullMQ's live counts of one queue (every org's jobs: it is shared), in the contract's shape. */
export async function liveCounts(queue: Queue): Promise<QueueCounts> {
  const c = await queue.getJobCounts("waiting", "prioritized", "active", "delayed", "failed", "completed");
  return {
    waiting: c.waiting ?? 0,
    prioritized: c.prioritized ?? 0,
    active: c.active ?? 0,
    delayed: c.delayed ?? 0,
    failed: c.failed ?? 0,
    completed: c.completed ?? 0,
  };
}
