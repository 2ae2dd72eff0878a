import { randomBytes } from "node:crypto";
import { activeTracing, isCluster, type RedisClient } from "@jobstream/runtime";
import type { EventPayload } from "./wire";
import { keysFor, type Keys } from "./keys";
import { withScripts } from "./scripts";
import { postgresSafeJson } from "./postgres-safe";
import { shardOf } from "./shards";

/**
 * Publishes job events to the stream of the job's shard of its queue, where the mirror picks them
 * up. Every event of one job, and every sequence number reserved for it, goes through the same
 * shard (`shardOf(jobId, shards)`), so its order and its counter stay in one place.
 */
export class EventPublisher {
  private readonly keys: Keys;
  private readonly redis;
  /** Announces this process's shard count once, before its first write to a shard beyond 0. */
  private announced: Promise<unknown> | undefined;
  /** Publish ids: this publisher's random prefix and a counter, unique across processes. */
  private readonly idPrefix = randomBytes(8).toString("base64url");
  private published = 0;

  /** `shards`: `MIRROR_SHARDS`, the same in every process of a deployment. @defaultValue 1 */
  constructor(
    redis: RedisClient,
    prefix: string,
    private readonly shards = 1,
  ) {
    this.redis = withScripts(redis);
    this.keys = keysFor(prefix, isCluster(redis));
  }

  /**
   * Appends one event; returns the job's sequence number of its last timeline entry. `floor` is
   * the row's last applied sequence when the caller read it (after Redis lost its counters).
   * Every string in the payload (outputs, errors, progress, items, states) is made storable first
   * (`postgresSafeJson`), so no handler can publish an entry the mirror would have to refuse.
   * Each call carries its own publish id, so a command ioredis sends twice appends one entry.
   */
  async publish(queue: string, jobId: string, payload: EventPayload, floor = 0): Promise<number> {
    const shard = await this.shardOf(jobId);
    const count = Math.max(1, payload.timeline.length);
    // The attempt's trace context rides along so the mirror's write joins the job's trace.
    const trace = activeTracing()?.carrier();
    const body = trace === undefined ? payload : { ...payload, trace };
    return this.redis.jobstreamPublish(
      this.keys.seq(queue, shard),
      this.keys.events(queue, shard),
      jobId,
      count,
      postgresSafeJson(body),
      floor,
      `${this.idPrefix}.${String((this.published += 1))}`,
    );
  }

  /** Reserves `count` sequence numbers above `floor` for a transition written straight to Postgres. */
  async reserve(queue: string, jobId: string, floor: number, count = 1): Promise<number> {
    const shard = await this.shardOf(jobId);
    return this.redis.jobstreamReserve(this.keys.seq(queue, shard), jobId, floor, count);
  }

  /**
   * The job's shard. A sharded layout is recorded in Redis first (once per process), so mirrors
   * configured with fewer shards still find and drain these streams.
   */
  private async shardOf(jobId: string): Promise<number> {
    const shard = shardOf(jobId, this.shards);
    if (shard === 0) return 0;
    this.announced ??= this.redis
      .jobstreamRaiseShards(this.keys.mirrorShards(), this.shards)
      .catch((error: unknown) => {
        this.announced = undefined;
        throw error;
      });
    await this.announced;
    return shard;
  }
}
