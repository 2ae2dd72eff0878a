import { isFinalJob, JobstreamError, type JobstreamClient, type JobView } from "@jobstream/client";
import { useCallback, useEffect, useState } from "react";
import { asError, isFinalRefusal } from "./errors.ts";
import { pause, resolveLive, type Connection, type LiveOptions } from "./job-feed.ts";
import { useJobstreamClient } from "./provider.ts";

export interface UseJobOptions extends LiveOptions {
  /** Instead of the `<JobstreamProvider>`'s. */
  readonly client?: JobstreamClient;
}

export interface JobState {
  /** The job's full view (input and output included); undefined until it was first read. */
  readonly data: JobView | undefined;
  /** The last error: the job could not be read (`NotFoundError`…), or a poll failed (data is kept). */
  readonly error: Error | undefined;
  /** Nothing read yet, and no error. */
  readonly loading: boolean;
  /** Changes arrive over a live stream. */
  readonly live: boolean;
  readonly connection: Connection;
  /**
   * Replaces the view (e.g. with what `jobs.retry` answered). A final job made unfinished again is
   * followed again.
   */
  readonly mutate: (job: JobView) => void;
}

interface Held {
  readonly id: string;
  readonly data: JobView | undefined;
  readonly error: Error | undefined;
  readonly connection: Connection;
}

/** A stream answer that polling cannot change either: signed out, or no such job. */
function ends(error: unknown): boolean {
  return error instanceof JobstreamError && (error.status === 401 || error.status === 404);
}

/**
 * One job, live: its view over `GET /v1/jobs/:id/stream` until it is final. When the stream
 * cannot be held (`streamAttempts` failures in a row) the job is polled with `jobs.get`, and the
 * stream tried again after `streamRetryMs`.
 */
export function useJob(id: string, options: UseJobOptions = {}): JobState {
  const client = useJobstreamClient(options.client);
  const { mode, pollIntervalMs, streamAttempts, streamRetryMs } = resolveLive(options);
  const [held, setHeld] = useState<Held>({ id, data: undefined, error: undefined, connection: "connecting" });
  const current: Held = held.id === id ? held : { id, data: undefined, error: undefined, connection: "connecting" };
  // Followed while unknown or unfinished; a final job made unfinished again (retry) restarts this.
  const following = current.data === undefined || !isFinalJob(current.data);

  const update = useCallback(
    (change: Partial<Omit<Held, "id">>) => {
      setHeld((h) => ({
        ...(h.id === id ? h : { id, data: undefined, error: undefined, connection: "connecting" }),
        ...change,
      }));
    },
    [id],
  );

  useEffect(() => {
    if (!following) return;
    const abort = new AbortController();
    const { signal } = abort;
    const show = (job: JobView, connection: Connection) => {
      if (!signal.aborted) update({ data: job, error: undefined, connection: isFinalJob(job) ? "ended" : connection });
    };
    const fail = (error: unknown) => {
      if (!signal.aborted) update({ error: asError(error), connection: "ended" });
    };
    void (async () => {
      for (;;) {
        if (mode !== "poll") {
          update({ connection: "connecting" });
          try {
            for await (const job of client.jobs.watch(id, { signal, maxReconnects: streamAttempts - 1 }))
              show(job, "live");
            return;
          } catch (error) {
            if (signal.aborted) return;
            if (ends(error)) {
              fail(error);
              return;
            }
          }
        }
        update({ connection: "polling" });
        const until = Date.now() + streamRetryMs;
        while (mode === "poll" || Date.now() < until) {
          try {
            const job = await client.jobs.get(id, { signal });
            show(job, "polling");
            if (isFinalJob(job)) return;
          } catch (error) {
            if (signal.aborted) return;
            if (isFinalRefusal(error)) {
              fail(error);
              return;
            }
            update({ error: asError(error) });
          }
          try {
            await pause(pollIntervalMs, signal);
          } catch {
            return;
          }
        }
      }
    })();
    return () => {
      abort.abort();
    };
  }, [client, id, following, mode, pollIntervalMs, streamAttempts, streamRetryMs, update]);

  const mutate = useCallback(
    (job: JobView) => {
      update({ data: job, error: undefined });
    },
    [update],
  );

  return {
    data: current.data,
    error: current.error,
    loading: current.data === undefined && current.error === undefined,
    live: current.connection === "live",
    connection: following ? current.connection : "ended",
    mutate,
  };
}
