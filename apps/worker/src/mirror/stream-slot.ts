import { streamName, type Keys } from "@jobstream/queue";

/** One shard of one queue's event stream: what a mirror leases, reads and acknowledges. */
export interface StreamSlot {
  readonly queue: string;
  readonly shard: number;
  /** `streamName(queue, shard)`: the queue for shard 0, `<queue>#<shard>` beyond. */
  readonly name: string;
  /** The stream's key. */
  readonly stream: string;
  /** The key of the hash holding its jobs' sequence counters. */
  readonly seqKey: string;
}

export function streamSlot(keys: Keys, queue: string, shard: number): StreamSlot {
  return {
    queue,
    shard,
    name: streamName(queue, shard),
    stream: keys.events(queue, shard),
    seqKey: keys.seq(queue, shard),
  };
}
