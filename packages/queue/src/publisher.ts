import { activeTracing, isCluster, type RedisClient } from "@jobstream/runtime";
import type { EventPayload } from "./wire";
import { keysFor, type Keys } from "./keys";
import { withScripts } from "./scripts";
import { postgresSafe } from "./postgres-safe";

/** Publishes job events to the queue's stream, where the mirror picks them up. */
export class EventPublisher {
  private readonly keys: Keys;
  private readonly redis;

  constructor(redis: RedisClient, prefix: string) {
    this.redis = withScripts(redis);
    this.keys = keysFor(prefix, isCluster(redis));
  }

  /**
   * Appends one event; returns the job's sequence number of its last timeline entry. `floor` is
   * the row's last applied sequence when the caller read it (after Redis lost its counters).
   * Every string in the payload (outputs, errors, progress, items, states) is made storable first
   * (`postgresSafe`), so no handler can publish an entry the mirror would have to refuse.
   */
  publish(queue: string, jobId: string, payload: EventPayload, floor = 0): Promise<number> {
    const count = Math.max(1, payload.timeline.length);
    // The attempt's trace context rides along so the mirror's write joins the job's trace.
    const trace = activeTracing()?.carrier();
    const body = trace === undefined ? payload : { ...payload, trace };
    return this.redis.jobstreamPublish(
      this.keys.seq(queue),
      this.keys.events(queue),
      jobId,
      count,
      JSON.stringify(postgresSafe(body)),
      floor,
    );
  }

  /** Reserves `count` sequence numbers above `floor` for a transition written straight to Postgres. */
  reserve(queue: string, jobId: string, floor: number, count = 1): Promise<number> {
    return this.redis.jobstreamReserve(this.keys.seq(queue), jobId, floor, count);
  }
}
