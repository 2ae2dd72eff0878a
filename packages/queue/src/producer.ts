import { Queue, type JobsOptions } from "bullmq";
import type { Redis } from "ioredis";
import { jobTypes, PRIORITY_MAX, type JobTypeName, type Backoff } from "@jobstream/job-types";
import type { QueuedJobData } from "./job-data";

/** A job as stored in Postgres, enough to (re)create its BullMQ job. */
export interface EnqueueSpec {
  readonly id: string;
  readonly type: string;
  readonly subtype: string;
  readonly input: unknown;
  readonly priority: number;
  /** Attempts already made by earlier runs. */
  readonly attemptBase: number;
  /** Attempts this run may take. */
  readonly attempts: number;
  readonly backoff: Backoff;
  readonly timeoutMs?: number;
  readonly runAt: Date | null;
}

/** Finished jobs stay in Redis a while so the reconciler can read their outcome. */
const KEEP_COMPLETED = { age: 3600 };
const KEEP_FAILED = { age: 7 * 86_400 };

/** Jobstream priority (0–100, higher first) as BullMQ's (1 highest). */
export function toBullPriority(priority: number): number {
  return PRIORITY_MAX + 1 - priority;
}

export function bullJobOptions(spec: EnqueueSpec, now = Date.now()): JobsOptions {
  const delay = spec.runAt === null ? 0 : Math.max(0, spec.runAt.getTime() - now);
  return {
    jobId: spec.id,
    priority: toBullPriority(spec.priority),
    attempts: spec.attempts,
    backoff: { type: spec.backoff.type, delay: spec.backoff.delayMs },
    delay,
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: KEEP_FAILED,
  };
}

export function bullJobData(spec: EnqueueSpec): QueuedJobData {
  return { type: spec.type, subtype: spec.subtype, input: spec.input, attemptBase: spec.attemptBase, timeoutMs: spec.timeoutMs };
}

/** One producer-side BullMQ Queue per job type, sharing one connection. */
export class Producer {
  readonly queues = new Map<string, Queue>();

  constructor(
    readonly connection: Redis,
    readonly prefix: string,
    onError: (error: Error, queue: string) => void,
  ) {
    for (const type of Object.keys(jobTypes) as JobTypeName[]) {
      // BullMQ's own event stream is not read by Jobstream: keep it short.
      const queue = new Queue(type, { connection: this.connection, prefix: this.prefix, streams: { events: { maxLen: 1000 } } });
      queue.on("error", (error) => { onError(error, type); });
      this.queues.set(type, queue);
    }
  }

  queue(type: string): Queue {
    const queue = this.queues.get(type);
    if (!queue) throw new Error(`no queue for job type ${type}`);
    return queue;
  }

  /** Adds jobs (idempotent by job id) with one round trip per queue. */
  async add(specs: readonly EnqueueSpec[]): Promise<void> {
    const byType = new Map<string, EnqueueSpec[]>();
    for (const spec of specs) {
      const list = byType.get(spec.type);
      if (list) list.push(spec);
      else byType.set(spec.type, [spec]);
    }
    const now = Date.now();
    await Promise.all(
      [...byType].map(([type, list]) =>
        this.queue(type).addBulk(list.map((spec) => ({ name: spec.subtype, data: bullJobData(spec), opts: bullJobOptions(spec, now) }))),
      ),
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
