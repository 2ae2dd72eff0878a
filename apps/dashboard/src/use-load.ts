import { useCallback, useEffect, useRef, useState } from "react";

export type Load<T> =
  | { readonly state: "loading" }
  | { readonly state: "error"; readonly error: Error }
  | { readonly state: "ready"; readonly data: T };

/**
 * Runs `fetcher` when `key` changes (aborting the previous run) and exposes loading / error /
 * ready states. `reload` runs it again but keeps showing the current data until the answer
 * arrives; a new `key` shows loading at once.
 */
export function useLoad<T>(
  key: string,
  fetcher: (signal: AbortSignal) => Promise<T>,
): { load: Load<T>; reload: () => void; update: (change: (data: T) => T) => void } {
  const [current, setCurrent] = useState<{ key: string; load: Load<T> }>({ key, load: { state: "loading" } });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => {
    setGeneration((g) => g + 1);
  }, []);
  /**
   * Changes the loaded data in place (a live update, a further page). Nothing happens before it
   * loaded, or once `key` moved on since this render (a late answer for the previous filters).
   */
  const update = useCallback(
    (change: (data: T) => T) => {
      setCurrent((c) =>
        c.key === key && c.load.state === "ready" ? { key, load: { state: "ready", data: change(c.load.data) } } : c,
      );
    },
    [key],
  );

  useEffect(() => {
    const abort = new AbortController();
    fetcher(abort.signal).then(
      (data) => {
        if (!abort.signal.aborted) setCurrent({ key, load: { state: "ready", data } });
      },
      (error: unknown) => {
        if (!abort.signal.aborted)
          setCurrent({
            key,
            load: { state: "error", error: error instanceof Error ? error : new Error(String(error)) },
          });
      },
    );
    return () => {
      abort.abort();
    };
    // `fetcher` is a fresh closure every render; `key` says when what it fetches changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, generation]);

  return { load: current.key === key ? current.load : { state: "loading" }, reload, update };
}

export interface Paged<T> {
  readonly rows: T[];
  readonly nextCursor: string | null;
}

/**
 * A keyset-paged list: the first page loads with `key`, `loadMore` appends the next one, and
 * `updateRows` edits the rows shown (live changes). A page still loading when the list reloads
 * is dropped, so pages never mix.
 */
export function usePaged<T>(
  key: string,
  fetchPage: (cursor: string | null, signal?: AbortSignal) => Promise<Paged<T>>,
) {
  const epoch = useRef(0);
  const { load, reload, update } = useLoad(key, (signal) => {
    epoch.current += 1;
    return fetchPage(null, signal);
  });
  const [more, setMore] = useState<{ loading: boolean; error: Error | null }>({ loading: false, error: null });
  const ready = load.state === "ready" ? load.data : null;
  const loadMore = async () => {
    if (ready?.nextCursor == null) return;
    const started = epoch.current;
    setMore({ loading: true, error: null });
    try {
      const page = await fetchPage(ready.nextCursor);
      if (epoch.current === started)
        update((data) => ({ rows: [...data.rows, ...page.rows], nextCursor: page.nextCursor }));
      setMore({ loading: false, error: null });
    } catch (error) {
      setMore({ loading: false, error: error instanceof Error ? error : new Error(String(error)) });
    }
  };
  const updateRows = (change: (rows: T[]) => T[]) => {
    update((data) => ({ ...data, rows: change(data.rows) }));
  };
  return {
    load,
    rows: ready?.rows ?? [],
    nextCursor: ready?.nextCursor ?? null,
    hasMore: (ready?.nextCursor ?? null) !== null,
    loadMore,
    loadingMore: more.loading,
    moreError: more.error,
    reload,
    updateRows,
  };
}

/** A page of a client list call: its rows under `key` (`{ webhooks: […], nextCursor }`). */
type ApiPage<K extends string, T> = Record<K, T[]> & { nextCursor: string | null };

/**
 * `usePaged` over a `@jobstream/client` list call (`jobstream.webhooks.list`): each page asked for by
 * its cursor, its rows read from `key`. `name` tells lists of the same key apart (a webhook's deliveries).
 */
export function useApiList<K extends string, T>(
  key: K,
  list: (filter: { cursor?: string }, extras: { signal?: AbortSignal }) => Promise<ApiPage<K, T>>,
  name: string = key,
) {
  return usePaged(name, async (cursor, signal) => {
    const page = await list(cursor === null ? {} : { cursor }, { signal });
    return { rows: page[key], nextCursor: page.nextCursor };
  });
}

/**
 * Calls `reload` when `value` changes, at most once per `minIntervalMs` (the last change always
 * leads to a reload), without showing a loading state in between.
 */
export function useReloadOn(value: string, reload: () => void, minIntervalMs = 0): void {
  const first = useRef(true);
  const last = useRef(0);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const wait = Math.max(0, last.current + minIntervalMs - Date.now());
    const timer = setTimeout(() => {
      last.current = Date.now();
      reload();
    }, wait);
    return () => {
      clearTimeout(timer);
    };
  }, [value, reload, minIntervalMs]);
}
