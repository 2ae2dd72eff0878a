import type { JobstreamClient, JobSummary } from "@jobstream/client";

import { asError, isFinalRefusal } from "./errors.ts";

/**
 * How a hook currently learns of changes: opening a stream, over a live stream, reopening one
 * that dropped, by polling (the stream could not be held, or polling was asked for), or not at
 * all (the job is final).
 */
export type Connection = "connecting" | "live" | "reconnecting" | "polling" | "ended";

/** When to give up on a stream for polling, and how often to poll. */
export interface LiveOptions {
  /**
   * "auto": live over Server-Sent Events, polling while a stream cannot be held; "poll": only poll
   * (e.g. behind a proxy known to buffer streams).
   * @defaultValue "auto"
   */
  readonly mode?: "auto" | "poll";
  /**
   * Time between two polls.
   * @defaultValue 2000
   */
  readonly pollIntervalMs?: number;
  /**
   * Stream connections in a row that fail (receiving nothing) before falling back to polling.
   * @defaultValue 3
   */
  readonly streamAttempts?: number;
  /**
   * While polling, how long until the stream is tried again.
   * @defaultValue 30000
   */
  readonly streamRetryMs?: number;
}

export const liveDefaults = {
  mode: "auto",
  pollIntervalMs: 2000,
  streamAttempts: 3,
  streamRetryMs: 30_000,
} as const satisfies Required<LiveOptions>;

export function resolveLive(options: LiveOptions): Required<LiveOptions> {
  return {
    mode: options.mode ?? liveDefaults.mode,
    pollIntervalMs: options.pollIntervalMs ?? liveDefaults.pollIntervalMs,
    streamAttempts: Math.max(1, options.streamAttempts ?? liveDefaults.streamAttempts),
    streamRetryMs: options.streamRetryMs ?? liveDefaults.streamRetryMs,
  };
}

/** Resolves after `ms`, or rejects when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Reads once for an effect: the answer (or the error) reaches `onValue` (`onError`) only while the
 * effect still stands. Returns the effect's cleanup, which aborts the read.
 */
export function readOnce<T>(
  read: (signal: AbortSignal) => Promise<T>,
  onValue: (value: T) => void,
  onError: (error: Error) => void,
): () => void {
  const abort = new AbortController();
  read(abort.signal).then(
    (value) => {
      if (!abort.signal.aborted) onValue(value);
    },
    (error: unknown) => {
      if (!abort.signal.aborted) onError(asError(error));
    },
  );
  return () => {
    abort.abort();
  };
}

/**
 * Polling while there is no stream: waits `intervalMs`, reads, hands the answer to `onValue`, and
 * again, until the returned cleanup runs or an answer that retrying cannot change (`isFinalRefusal`).
 * Each failure is reported.
 */
export function pollEvery<T>(
  intervalMs: number,
  read: (signal: AbortSignal) => Promise<T>,
  onValue: (value: T) => void,
  onError: (error: Error) => void,
): () => void {
  const abort = new AbortController();
  const { signal } = abort;
  void (async () => {
    for (;;) {
      try {
        await pause(intervalMs, signal);
        const value = await read(signal);
        if (!signal.aborted) onValue(value);
      } catch (error) {
        if (signal.aborted) return;
        onError(asError(error));
        if (isFinalRefusal(error)) return;
      }
    }
  })();
  return () => {
    abort.abort();
  };
}

/**
 * A stream closed by its last subscriber stays open this long: React's StrictMode (and a page
 * change) unsubscribes and subscribes again at once, which should not cost a new connection.
 */
const LINGER_MS = 1000;

type Listener = (job: JobSummary) => void;

/**
 * One `GET /v1/stream` connection per client, shared by every hook that lists jobs: opened for
 * the first subscriber, closed after the last. Hooks filter its summaries themselves (a row that
 * leaves a status filter must still be seen to change). When the stream cannot be held its state
 * becomes "polling" (hooks then poll their own endpoints) and it is tried again later.
 */
export class JobFeed {
  private readonly listeners = new Set<Listener>();
  private readonly watchers = new Set<() => void>();
  private connection: Connection = "connecting";
  private abort: AbortController | null = null;
  private linger: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: JobstreamClient,
    private readonly options: Required<LiveOptions>,
  ) {}

  /** For `useSyncExternalStore`. */
  readonly getConnection = (): Connection => this.connection;

  readonly watchConnection = (onChange: () => void): (() => void) => {
    this.watchers.add(onChange);
    return () => {
      this.watchers.delete(onChange);
    };
  };

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    clearTimeout(this.linger);
    if (this.abort === null) this.start();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size > 0) return;
      clearTimeout(this.linger);
      this.linger = setTimeout(() => {
        this.stop();
      }, LINGER_MS);
    };
  }

  private set(connection: Connection): void {
    if (this.connection === connection) return;
    this.connection = connection;
    for (const watcher of this.watchers) watcher();
  }

  private stop(): void {
    this.abort?.abort();
    this.abort = null;
    this.set("connecting");
  }

  private start(): void {
    const abort = new AbortController();
    this.abort = abort;
    const { signal } = abort;
    // A function, not a property read: the signal aborts while this loop awaits.
    const stopped = (): boolean => signal.aborted;
    void (async () => {
      while (!stopped()) {
        this.set("connecting");
        try {
          const stream = this.client.stream(
            {},
            {
              signal,
              maxReconnects: this.options.streamAttempts - 1,
              onConnection: (state) => {
                if (!signal.aborted) this.set(state === "open" ? "live" : "reconnecting");
              },
            },
          );
          for await (const job of stream) {
            for (const listener of this.listeners) listener(job);
          }
        } catch {
          // Refused or unreachable, again and again: poll instead (below), then try once more.
        }
        if (stopped()) return;
        this.set("polling");
        await pause(this.options.streamRetryMs, signal).catch(() => undefined);
      }
    })();
  }
}

const feeds = new WeakMap<JobstreamClient, JobFeed>();

/** The shared feed of a client (created with the options of its first user). */
export function feedFor(client: JobstreamClient, options: Required<LiveOptions>): JobFeed {
  let feed = feeds.get(client);
  if (feed === undefined) {
    feed = new JobFeed(client, options);
    feeds.set(client, feed);
  }
  return feed;
}
