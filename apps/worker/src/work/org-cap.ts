import { DelayedError, type Job } from "bullmq";
import type { OrgSlots } from "@jobstream/queue";
import { queuedJobDataSchema } from "@jobstream/queue";
import type { Logger } from "@jobstream/runtime";

type Processor = (job: Job, token?: string, signal?: AbortSignal) => Promise<unknown>;

export interface OrgCapOptions {
  readonly slots: OrgSlots;
  /** Per-type default cap (an operator's per-org setting wins); absent or 0: uncapped unless set. */
  readonly defaultCaps: Partial<Record<string, number>>;
  /** How long a job over its org's cap waits before it is tried again (plus up to as much jitter). */
  readonly retryMs: number;
  /** How long a slot outlives its job's timeout when nobody releases it (a killed worker). */
  readonly slotSlackMs: number;
  readonly logger: Logger;
}

/**
 * Per-org concurrency caps around a processor (BullMQ's open-source edition has no per-group
 * concurrency): before anything of the attempt happens, the job takes a slot of its org in its
 * queue; over the cap, it goes back to delayed for a moment without spending an attempt or
 * publishing anything (its row stays `queued`) and keeps its fair-share priority for when it returns.
 */
export function withOrgCaps(processor: Processor, options: OrgCapOptions): Processor {
  return async (job, token, signal) => {
    const data = queuedJobDataSchema.safeParse(job.data);
    const orgId = data.success ? data.data.orgId : undefined;
    const jobId = job.id;
    if (orgId === undefined || jobId === undefined || token === undefined) return processor(job, token, signal);
    const queue = job.queueName;
    const lifetime = (data.success ? (data.data.timeoutMs ?? 0) : 0) + options.slotSlackMs;
    const taken = await options.slots.take(queue, orgId, jobId, options.defaultCaps[queue] ?? 0, lifetime);
    if (taken === "untracked") return processor(job, token, signal);
    if (taken === "full") {
      options.logger.debug({ jobId, type: queue, orgId }, "org at its concurrency cap; job waits");
      await job.moveToDelayed(Date.now() + options.retryMs + Math.floor(Math.random() * options.retryMs), token);
      throw new DelayedError();
    }
    try {
      return await processor(job, token, signal);
    } finally {
      await options.slots.release(queue, orgId, jobId).catch((error: unknown) => {
        // The slot lapses on its own at its deadline.
        options.logger.warn({ err: error, jobId, type: queue }, "could not release the org's run slot");
      });
    }
  };
}
