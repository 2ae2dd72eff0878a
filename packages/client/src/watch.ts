import { JobstreamError, UnavailableError } from "./errors.ts";
import { finalJobStatuses, type JobView } from "./generated/types.ts";
import { reconnectPolicy, retryDelayMs } from "./retry-policy.ts";
import { sseMessages } from "./sse-messages.ts";
import { openStream, sleep, type Transport } from "./transport.ts";

export interface WatchOptions {
  /** Stops watching (the iterator then throws the signal's reason). */
  readonly signal?: AbortSignal;
  /**
   * Reconnections in a row without receiving anything before giving up with `UnavailableError`.
   * @defaultValue 30
   */
  readonly maxReconnects?: number;
  /**
   * Longest wait between reconnections.
   * @defaultValue 5000
   */
  readonly maxReconnectDelayMs?: number;
}

export function isFinalJob(job: Pick<JobView, "status">): boolean {
  return (finalJobStatuses as readonly string[]).includes(job.status);
}

/**
 * Job views from `GET /v1/jobs/:id/stream` until the job is final. A dropped connection (or an
 * API restart) is resumed with `Last-Event-ID`, so no state is repeated and none is skipped.
 */
export async function* watchJob(transport: Transport, id: string, options: WatchOptions = {}): AsyncGenerator<JobView> {
  const policy = reconnectPolicy(options);
  let lastEventId: string | undefined;
  let failures = 0;
  let lastProblem = "";
  for (;;) {
    let retryAfterMs: number | null = null;
    try {
      const path = `v1/jobs/${encodeURIComponent(id)}/stream`;
      const connection = await openStream(transport, path, lastEventId, options.signal);
      if (connection.refused) {
        retryAfterMs = connection.retryAfterMs;
        lastProblem = connection.refused.message;
      } else if (connection.body) {
        for await (const message of sseMessages(connection.body)) {
          if (message.event !== "job") continue;
          const view = JSON.parse(message.data) as JobView;
          if (message.id !== undefined) lastEventId = message.id;
          failures = 0;
          yield view;
          if (isFinalJob(view)) return;
        }
        lastProblem = "the stream ended before the job finished";
      }
    } catch (error) {
      if (options.signal?.aborted) throw error;
      // An API answer that retrying cannot change (404, 401, 403, 400).
      if (error instanceof JobstreamError && error.status > 0) throw error;
      lastProblem = String(error);
    }
    failures++;
    const delay = retryDelayMs(failures, retryAfterMs, policy);
    if (delay === null) {
      throw new UnavailableError("network", `watching job ${id} failed ${String(failures)} times: ${lastProblem}`);
    }
    await sleep(delay, options.signal);
  }
}
