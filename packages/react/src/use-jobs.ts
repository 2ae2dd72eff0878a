import type { JobPage, JobstreamClient, JobSummary } from "@jobstream/client";
import { useCallback, useEffect, useMemo, useReducer, useRef, useState, useSyncExternalStore } from "react";
import { asError } from "./errors.ts";
import { feedFor, pollEvery, readOnce, resolveLive, type Connection, type LiveOptions } from "./job-feed.ts";
import {
  appendPage,
  applyChanges,
  settleFirstPage,
  showIncoming,
  type JobListState,
  type JobsFilter,
  type NewJobs,
} from "./job-list.ts";
import { useJobstreamClient } from "./provider.ts";

export interface UseJobsOptions extends LiveOptions {
  readonly client?: JobstreamClient;
  /**
   * Jobs per page (1–500).
   * @defaultValue 50
   */
  readonly pageSize?: number;
  /**
   * Where jobs that appear after the list loaded go: at the top of `data` ("insert"), or into
   * `incoming` until `showIncoming()` ("announce": the list does not shift under the reader).
   * @defaultValue "insert"
   */
  readonly newJobs?: NewJobs;
}

export interface JobsState {
  /** The jobs shown, newest first; undefined until the first page arrived. */
  readonly data: readonly JobSummary[] | undefined;
  readonly error: Error | undefined;
  readonly loading: boolean;
  readonly live: boolean;
  readonly connection: Connection;
  /** New jobs held back by `newJobs: "announce"`. */
  readonly incoming: readonly JobSummary[];
  readonly showIncoming: () => void;
  readonly hasMore: boolean;
  /** Appends the next page. */
  readonly loadMore: () => Promise<void>;
  readonly loadingMore: boolean;
  readonly moreError: Error | undefined;
  /** Reads the first page again (shows loading). */
  readonly reload: () => void;
}

interface State {
  readonly key: string;
  readonly list: JobListState | null;
  /** Changes that arrived while the first page loaded. */
  readonly held: readonly JobSummary[];
  readonly error: Error | undefined;
}

type Action =
  | { type: "reset"; key: string }
  | { type: "page"; key: string; page: JobPage }
  | { type: "more"; key: string; page: JobPage }
  | { type: "changes"; key: string; jobs: readonly JobSummary[]; polled?: boolean }
  | { type: "error"; key: string; error: Error }
  | { type: "show"; key: string };

function reducerFor(filter: JobsFilter, newJobs: NewJobs) {
  return (state: State, action: Action): State => {
    if (action.type === "reset") return { key: action.key, list: null, held: [], error: undefined };
    if (action.key !== state.key) return state; // an answer for filters that changed since
    switch (action.type) {
      case "page":
        return {
          ...state,
          list: settleFirstPage(action.page, state.held, filter, newJobs),
          held: [],
          error: undefined,
        };
      case "more":
        return state.list === null ? state : { ...state, list: appendPage(state.list, action.page) };
      case "changes":
        if (state.list === null)
          return action.polled === true ? state : { ...state, held: [...state.held, ...action.jobs] };
        return {
          ...state,
          list: applyChanges(state.list, action.jobs, filter, newJobs),
          error: action.polled === true ? undefined : state.error,
        };
      case "error":
        return { ...state, error: action.error };
      case "show":
        return state.list === null ? state : { ...state, list: showIncoming(state.list) };
    }
  };
}

/** A stable key for filters given as a fresh object each render. */
function keyOf(filter: JobsFilter): string {
  return JSON.stringify(
    Object.entries(filter)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
}

/**
 * Jobs matching `filter`, newest first, a page at a time (`GET /v1/jobs`), kept live by the
 * client's shared `GET /v1/stream`; while that cannot be held, the pages shown are polled.
 */
export function useJobs(filter: JobsFilter = {}, options: UseJobsOptions = {}): JobsState {
  const client = useJobstreamClient(options.client);
  const live = resolveLive(options);
  const { mode, pollIntervalMs } = live;
  const pageSize = options.pageSize ?? 50;
  const newJobs = options.newJobs ?? "insert";
  const [generation, setGeneration] = useState(0);
  const key = `${keyOf(filter)}|${String(pageSize)}|${newJobs}|${String(generation)}`;
  // The filter as of `key` (a new object each render would otherwise rebuild everything).
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const stableFilter = useMemo(() => filter, [key]);
  const reducer = useMemo(() => reducerFor(stableFilter, newJobs), [stableFilter, newJobs]);
  const [state, dispatch] = useReducer(reducer, { key, list: null, held: [], error: undefined });
  const current: State = state.key === key ? state : { key, list: null, held: [], error: undefined };
  const shown = useRef(0);
  shown.current = (current.list?.rows.length ?? 0) + (current.list?.incoming.length ?? 0);

  const feed = feedFor(client, live);
  const feedConnection = useSyncExternalStore(feed.watchConnection, feed.getConnection, feed.getConnection);
  const polling = mode === "poll" || feedConnection === "polling";
  const loaded = current.list !== null;

  const firstPage = useCallback(
    async (limit: number, signal: AbortSignal): Promise<JobPage> => {
      for await (const page of client.jobs.list({ ...stableFilter, limit }).pages()) return page;
      signal.throwIfAborted();
      return { jobs: [], nextCursor: null };
    },
    [client, stableFilter],
  );

  // The first page (again, for new filters or a reload); changes streamed meanwhile are held.
  useEffect(() => {
    dispatch({ type: "reset", key });
    return readOnce(
      (signal) => firstPage(pageSize, signal),
      (page) => {
        dispatch({ type: "page", key, page });
      },
      (error) => {
        dispatch({ type: "error", key, error });
      },
    );
  }, [key, firstPage, pageSize]);

  // Live changes from the shared stream.
  useEffect(() => {
    if (mode === "poll") return;
    return feed.subscribe((job) => {
      dispatch({ type: "changes", key, jobs: [job] });
    });
  }, [feed, key, mode]);

  // Polling while there is no stream: the newest jobs, as many as are shown plus a page.
  useEffect(() => {
    if (!polling || !loaded) return;
    return pollEvery(
      pollIntervalMs,
      (signal) => firstPage(Math.min(500, shown.current + pageSize), signal),
      (page) => {
        dispatch({ type: "changes", key, jobs: [...page.jobs].reverse(), polled: true });
      },
      (error) => {
        dispatch({ type: "error", key, error });
      },
    );
  }, [polling, loaded, key, firstPage, pageSize, pollIntervalMs]);

  const [more, setMore] = useState<{ key: string; loading: boolean; error: Error | undefined }>({
    key,
    loading: false,
    error: undefined,
  });
  const nextCursor = current.list?.nextCursor ?? null;
  const loadMore = useCallback(async () => {
    if (nextCursor === null) return;
    setMore({ key, loading: true, error: undefined });
    try {
      for await (const page of client.jobs.list({ ...stableFilter, limit: pageSize, cursor: nextCursor }).pages()) {
        dispatch({ type: "more", key, page });
        break;
      }
      setMore({ key, loading: false, error: undefined });
    } catch (error) {
      setMore({ key, loading: false, error: asError(error) });
    }
  }, [client, stableFilter, pageSize, nextCursor, key]);

  const connection: Connection = mode === "poll" ? "polling" : feedConnection;
  return {
    data: current.list?.rows,
    error: current.error,
    loading: current.list === null && current.error === undefined,
    live: connection === "live",
    connection,
    incoming: current.list?.incoming ?? [],
    showIncoming: useCallback(() => {
      dispatch({ type: "show", key });
    }, [key]),
    hasMore: nextCursor !== null,
    loadMore,
    loadingMore: more.key === key && more.loading,
    moreError: more.key === key ? more.error : undefined,
    reload: useCallback(() => {
      setGeneration((g) => g + 1);
    }, []),
  };
}
