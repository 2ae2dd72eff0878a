import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import type { ApiClient } from "./api/client";
import { followStream } from "./api/event-stream";
import type { JobSummary, Session } from "./api/types";

type Listener = (job: JobSummary) => void;
export type LiveState = "connecting" | "open" | "reconnecting" | "ended";

interface AppContextValue {
  readonly client: ApiClient;
  readonly session: Session;
  readonly live: LiveState;
  /** Every change of every job the caller may see, from one shared `/v1/stream` connection. */
  readonly subscribe: (listener: Listener) => () => void;
}

const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (value === null) throw new Error("useApp outside <AppProvider>");
  return value;
}

/** Calls `listener` with each job change; the latest listener is used without re-subscribing. */
export function useJobChanges(listener: Listener): void {
  const { subscribe } = useApp();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => subscribe((job) => { latest.current(job); }), [subscribe]);
}

export function AppProvider({ client, session, children }: { client: ApiClient; session: Session; children: ReactNode }) {
  const [live, setLive] = useState<LiveState>("connecting");
  const [listeners] = useState(() => new Set<Listener>());
  const [subscribe] = useState(() => (listener: Listener) => {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  });

  useEffect(() => {
    const abort = new AbortController();
    void followStream("/v1/stream", {
      authorization: client.authorization,
      signal: abort.signal,
      reconnectOnEnd: () => true,
      onState: setLive,
      onEvent: (data) => {
        const job = JSON.parse(data) as JobSummary;
        for (const listener of listeners) listener(job);
      },
    });
    return () => {
      abort.abort();
    };
  }, [client, listeners]);

  return <AppContext.Provider value={{ client, session, live, subscribe }}>{children}</AppContext.Provider>;
}
