import type { JobstreamClient, JobSummary } from "@jobstream/client";
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from "react";
import { feedFor, pollEvery, readOnce, resolveLive, type Connection, type LiveOptions } from "./job-feed.ts";
import { activeSummary, applyActiveChange, pruneActive, type ActiveJobsState } from "./job-list.ts";
import { useJobstreamClient } from "./provider.ts";

export interface UseActiveJobsOptions extends LiveOptions {
  readonly client?: JobstreamClient;
  /**
   * How long a finished job stays in `data` (the API's `/v1/jobs/active` keeps them 5 minutes).
   * @defaultValue 300000
   */
  readonly keepFinishedMs?: number;
}

export interface ActiveJobsResult {
  /** Unfinished jobs and those finished recently, newest first; undefined until first read. */
  readonly data: readonly JobSummary[] | undefined;
  /** Jobs running now. */
  readonly running: number;
  /** Jobs pending, queued, delayed or waiting for children. */
  readonly waiting: number;
  readonly error: Error | undefined;
  readonly loading: boolean;
  readonly live: boolean;
  readonly connection: Connection;
  readonly reload: () => void;
}

interface Held {
  readonly jobs: ActiveJobsState | null;
  /** Changes that arrived while the list loaded. */
  readonly early: readonly JobSummary[];
  readonly error: Error | undefined;
}

/**
 * The caller's active jobs (what a header widget shows): `GET /v1/jobs/active`, then every change
 * from the client's shared `GET /v1/stream`; polled while that stream cannot be held.
 */
export function useActiveJobs(options: UseActiveJobsOptions = {}): ActiveJobsResult {
  const client = useJobstreamClient(options.client);
  const live = resolveLive(options);
  const { mode, pollIntervalMs } = live;
  const keepFinishedMs = options.keepFinishedMs ?? 300_000;
  const [generation, setGeneration] = useState(0);
  const [held, setHeld] = useState<Held>({ jobs: null, early: [], error: undefined });
  const feed = feedFor(client, live);
  const feedConnection = useSyncExternalStore(feed.watchConnection, feed.getConnection, feed.getConnection);
  const polling = mode === "poll" || feedConnection === "polling";
  const loaded = held.jobs !== null;

  // A fresh read replaces the set; changes streamed meanwhile are applied where not older.
  const settle = useCallback(
    (list: readonly JobSummary[], early: readonly JobSummary[]): ActiveJobsState => {
      const now = Date.now();
      let jobs = pruneActive(new Map(list.map((job) => [job.id, job])), now, keepFinishedMs);
      for (const job of early) jobs = applyActiveChange(jobs, job, now, keepFinishedMs, true);
      return jobs;
    },
    [keepFinishedMs],
  );

  useEffect(() => {
    setHeld({ jobs: null, early: [], error: undefined });
    return readOnce(
      (signal) => client.jobs.active({ signal }),
      (answer) => {
        setHeld((h) => ({ jobs: settle(answer.jobs, h.early), early: [], error: undefined }));
      },
      (error) => {
        setHeld((h) => ({ ...h, error }));
      },
    );
  }, [client, settle, generation]);

  useEffect(() => {
    if (mode === "poll") return;
    return feed.subscribe((job) => {
      setHeld((h) =>
        h.jobs === null
          ? { ...h, early: [...h.early, job] }
          : { ...h, jobs: applyActiveChange(h.jobs, job, Date.now(), keepFinishedMs) },
      );
    });
  }, [feed, mode, keepFinishedMs]);

  useEffect(() => {
    if (!polling || !loaded) return;
    return pollEvery(
      pollIntervalMs,
      (signal) => client.jobs.active({ signal }),
      (answer) => {
        setHeld({ jobs: settle(answer.jobs, []), early: [], error: undefined });
      },
      (error) => {
        setHeld((h) => ({ ...h, error }));
      },
    );
  }, [client, polling, loaded, pollIntervalMs, settle]);

  const summary = useMemo(() => (held.jobs === null ? null : activeSummary(held.jobs)), [held.jobs]);
  const connection: Connection = mode === "poll" ? "polling" : feedConnection;
  return {
    data: summary?.jobs,
    running: summary?.running ?? 0,
    waiting: summary?.waiting ?? 0,
    error: held.error,
    loading: held.jobs === null && held.error === undefined,
    live: connection === "live",
    connection,
    reload: useCallback(() => {
      setGeneration((g) => g + 1);
    }, []),
  };
}
