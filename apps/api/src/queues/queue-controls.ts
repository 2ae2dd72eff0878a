import type { Queue } from "bullmq";
import type { QueueView } from "@jobstream/contract";
import { listQueueStates, recentFinishes, recordQueueStates, type Queryable } from "@jobstream/db";
import type { Producer } from "@jobstream/queue";
import { ApiError } from "../http/errors";
import { liveCounts } from "./queue-counts";

export interface QueueDeps {
  readonly pool: Queryable;
  readonly producer: Producer;
}

/** Minutes the finish rate is averaged over. */
const RATE_MINUTES = 5;

export function queueNamed(deps: QueueDeps, name: string): Queue {
  const queue = deps.producer.queues.get(name);
  if (!queue) throw new ApiError("not_found", "no such queue");
  return queue;
}

/**
 * Pauses or resumes queues for every worker (BullMQ), then records who did it and when in
 * `queue_states`, which the stats and queue reads show. Both bull-board and `/v1/queues` call this.
 */
export async function setQueuesPaused(
  deps: QueueDeps,
  names: readonly string[],
  paused: boolean,
  by: string | null,
): Promise<void> {
  for (const name of names) {
    const queue = queueNamed(deps, name);
    await (paused ? queue.pause() : queue.resume());
  }
  await recordQueueStates(deps.pool, names, paused, by);
}

/** What Redis says of one queue, or nulls while it does not answer. */
async function liveOf(queue: Queue): Promise<Pick<QueueView, "counts" | "workers"> & { paused: boolean | null }> {
  try {
    const [counts, workers, paused] = await Promise.all([liveCounts(queue), queue.getWorkersCount(), queue.isPaused()]);
    return { counts, workers, paused };
  } catch {
    return { counts: null, workers: null, paused: null };
  }
}

/** The views of `names` (every queue by default), in name order. */
export async function queueViews(deps: QueueDeps, names?: readonly string[]): Promise<QueueView[]> {
  const wanted = [...(names ?? deps.producer.queues.keys())].sort();
  const [states, finishes] = await Promise.all([listQueueStates(deps.pool), recentFinishes(deps.pool, RATE_MINUTES)]);
  return Promise.all(
    wanted.map(async (name) => {
      const live = await liveOf(queueNamed(deps, name));
      const state = states.find((s) => s.queue === name);
      const finished = finishes.find((f) => f.type === name);
      return {
        name,
        // Redis is the truth workers follow; the record stands in while it does not answer.
        paused: live.paused ?? state?.paused ?? false,
        changedAt: state?.changedAt.toISOString() ?? null,
        counts: live.counts,
        workers: live.workers,
        ratePerMinute: {
          completed: (finished?.completed ?? 0) / RATE_MINUTES,
          failed: (finished?.failed ?? 0) / RATE_MINUTES,
        },
      };
    }),
  );
}
