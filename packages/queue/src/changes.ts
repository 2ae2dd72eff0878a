import { isCluster, type RedisClient } from "@jobstream/runtime";
import { keysFor } from "./keys";

/**
 * Tells every API process that these jobs' rows changed (after the change committed), so their
 * realtime streams re-read them. Best effort: a lost announcement delays a stream update until
 * the job's next change; the rows stay the truth.
 */
export async function announceChanges(redis: RedisClient, prefix: string, jobIds: readonly string[]): Promise<void> {
  if (jobIds.length === 0) return;
  await redis
    .publish(keysFor(prefix, isCluster(redis)).changesChannel(), JSON.stringify({ ids: [...new Set(jobIds)] }))
    .catch(() => undefined);
}

/**
 * Announces states the writer holds in full (the API after an enqueue), so streams send exactly
 * that state even if a worker moves the row on before anyone could read it.
 */
export async function announceStates(redis: RedisClient, prefix: string, states: readonly unknown[]): Promise<void> {
  if (states.length === 0) return;
  await redis
    .publish(keysFor(prefix, isCluster(redis)).changesChannel(), JSON.stringify({ states }))
    .catch(() => undefined);
}
