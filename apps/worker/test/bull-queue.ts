import { Queue } from "bullmq";
import { keysFor } from "@jobstream/queue";
import { isCluster } from "@jobstream/runtime";
import { testRedis, type System } from "@jobstream/testing";

/**
 * A test's own BullMQ Queue on a system's Redis, under the prefix the processes use (hash-tagged
 * in cluster runs); `close` ends the queue and its connection.
 */
export function openQueue(sys: System, name: string): { queue: Queue; close: () => Promise<void> } {
  const connection = testRedis(sys.redisUrl);
  const prefix = keysFor(sys.prefix, isCluster(connection)).bullPrefix(name);
  const queue = new Queue(name, { connection, prefix });
  return {
    queue,
    close: async () => {
      await queue.close();
      connection.disconnect();
    },
  };
}
