import { isFinalStatus, prepareMirrorBatch, type MirrorEntry, type PreparedMirrorBatch } from "@jobstream/db";
import { MIRROR_CONSUMER, MIRROR_GROUP, parseStreamEntry } from "@jobstream/queue";
import type { RedisClient, TraceCarrier } from "@jobstream/runtime";
import type { Rejected, SourcedEntry } from "./apply-isolating";
import type { StreamSlot } from "./stream-slot";

type StreamReply = [key: string, entries: [id: string, fields: string[]][]][] | null;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What one read returned, grouped for the apply and the acknowledgement. */
export interface Batch {
  /** Shards (stream names) whose pending entries (left by an earlier owner or a failed batch) were read. */
  readonly recovering: readonly string[];
  /** Stream ids read, per stream key: what the acknowledgement deletes. */
  readonly byStream: ReadonlyMap<string, string[]>;
  readonly entries: MirrorEntry[];
  /** The decoded entries with their stream ids, in stream order. */
  readonly sourced: readonly SourcedEntry[];
  /** Entries that failed to decode: they go straight to the dead letters. */
  readonly malformed: readonly Rejected[];
  /** Jobs that reached a final status: their sequence counters can go once the batch is committed. */
  readonly finished: readonly { seqKey: string; jobId: string; seq: number }[];
  /** Trace contexts the entries carried (only from workers that trace): the write's span links them. */
  readonly traces: readonly TraceCarrier[];
  /**
   * The statement's parameters for all of `sourced`, encoded when the batch is read: a batch read
   * ahead is encoded while Postgres still writes the one before it.
   */
  readonly prepared: PreparedMirrorBatch;
}

/**
 * Reads the owned shards' streams through the mirror's consumer group. A shard's entries still
 * pending in the group (read but never acknowledged: a failed batch, or an earlier owner that
 * died) are read again before any new one, until a read finds none left. Dead letters name the
 * shard's stream (`streamName`) as their queue: stream ids are unique per stream only.
 */
export class BatchReader {
  /** Shards (stream names) whose pending entries have all been read again. */
  private readonly pendingDone = new Set<string>();

  constructor(
    private readonly reader: RedisClient,
    private readonly batchSize: number,
    private readonly blockMs: number,
    /** On a Redis Cluster each shard's stream is in a slot of its own (see `read`). */
    private readonly clustered = false,
  ) {}

  /** Pending entries of this shard are to be read again first (it was just taken over). */
  recover(slot: StreamSlot): void {
    this.pendingDone.delete(slot.name);
  }

  /** Every queue's pending entries are to be read again first (a batch failed, or was read ahead and dropped). */
  recoverAll(): void {
    this.pendingDone.clear();
  }

  /**
   * One batch: entries left unacknowledged first, then new ones (waiting up to `blockMs` for them).
   * On one server one command reads every stream. On a Redis Cluster a command's keys must share a
   * slot, so each stream is read on its own, without blocking (blocking reads to one node would
   * queue behind each other); when none had anything the read pauses a quarter of `blockMs`.
   */
  async read(slots: readonly StreamSlot[]): Promise<Batch> {
    const recovering = slots.filter((s) => !this.pendingDone.has(s.name));
    const reading = recovering.length > 0 ? recovering : slots;
    const groups = this.clustered ? reading.map((s) => [s.stream]) : [reading.map((s) => s.stream)];
    const block = recovering.length === 0 && groups.length === 1 ? this.blockMs : undefined;
    const replies = await Promise.all(groups.map((streams) => this.readStreams(streams, recovering.length > 0, block)));
    const reply = replies.flatMap((r) => r ?? []);
    if (groups.length > 1 && recovering.length === 0 && reply.every(([, list]) => list.length === 0))
      await sleep(this.blockMs / 4);
    const batch = this.decode(reply, slots, recovering);
    for (const slot of recovering)
      if ((batch.byStream.get(slot.stream) ?? []).length === 0) this.pendingDone.add(slot.name);
    return batch;
  }

  private async readStreams(streams: readonly string[], pending: boolean, blockMs?: number): Promise<StreamReply> {
    const ids = streams.map(() => (pending ? "0" : ">"));
    const count = ["COUNT", this.batchSize] as const;
    return (
      blockMs === undefined
        ? await this.reader.xreadgroup("GROUP", MIRROR_GROUP, MIRROR_CONSUMER, ...count, "STREAMS", ...streams, ...ids)
        : await this.reader.xreadgroup(
            "GROUP",
            MIRROR_GROUP,
            MIRROR_CONSUMER,
            ...count,
            "BLOCK",
            blockMs,
            "STREAMS",
            ...streams,
            ...ids,
          )
    ) as StreamReply;
  }

  private decode(
    reply: NonNullable<StreamReply>,
    slots: readonly StreamSlot[],
    recovering: readonly StreamSlot[],
  ): Batch {
    const byKey = new Map(slots.map((s) => [s.stream, s]));
    const byStream = new Map<string, string[]>();
    const entries: MirrorEntry[] = [];
    const sourced: SourcedEntry[] = [];
    const malformed: Rejected[] = [];
    const finished: { seqKey: string; jobId: string; seq: number }[] = [];
    const traces: TraceCarrier[] = [];
    for (const [key, list] of reply) {
      // Only the streams asked for answer; anything else stays pending rather than be acknowledged unapplied.
      const slot = byKey.get(key);
      if (slot === undefined) continue;
      byStream.set(
        key,
        list.map(([id]) => id),
      );
      const { name: queue, seqKey } = slot;
      for (const [streamId, fields] of list) {
        const decoded = parseStreamEntry(fields);
        if (!decoded.ok) {
          malformed.push({ queue, streamId, fields, error: decoded.error });
          continue;
        }
        const entry = decoded.entry;
        if (decoded.trace !== undefined) traces.push(decoded.trace);
        entries.push(entry);
        sourced.push({ queue, streamId, fields, entry });
        if (entry.snapshot !== null && isFinalStatus(entry.snapshot.status))
          finished.push({ seqKey, jobId: entry.jobId, seq: entry.seq });
      }
    }
    const prepared = prepareMirrorBatch(entries);
    return {
      recovering: recovering.map((s) => s.name),
      byStream,
      entries,
      sourced,
      malformed,
      finished,
      traces,
      prepared,
    };
  }
}
