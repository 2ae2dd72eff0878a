import { createParser } from "eventsource-parser";

export interface StreamOptions {
  /** Bearer header value; EventSource cannot send one, so streams are read with fetch. */
  readonly authorization: string;
  readonly onEvent: (data: string, id: string | undefined) => void;
  /** Called when the stream is (re)opened or lost, for a "live" indicator. */
  readonly onState?: (state: "open" | "reconnecting" | "ended") => void;
  /** A job stream ends when the job is final; the all-jobs stream only ends when its API process stops. */
  readonly reconnectOnEnd?: boolean;
  readonly signal: AbortSignal;
}

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10_000;

/**
 * Reads a Server-Sent Events stream of the API, reconnecting with `Last-Event-ID` after network
 * errors (backing off) until `signal` aborts. A clean end of a job stream is not retried.
 */
export async function followStream(url: string, options: StreamOptions): Promise<void> {
  let lastId: string | undefined;
  let delay = RETRY_MIN_MS;
  // A function, not a property read: the signal aborts while this loop awaits.
  const aborted = () => options.signal.aborted;
  while (!aborted()) {
    try {
      const headers: Record<string, string> = { authorization: options.authorization, accept: "text/event-stream" };
      if (lastId !== undefined) headers["last-event-id"] = lastId;
      const res = await fetch(url, { headers, signal: options.signal });
      if (res.status >= 400 && res.status < 500 && res.status !== 429) {
        // Signed out, or the job is gone: retrying cannot help.
        options.onState?.("ended");
        return;
      }
      if (!res.ok || res.body === null) throw new Error(`stream answered ${String(res.status)}`);
      options.onState?.("open");
      delay = RETRY_MIN_MS;
      const parser = createParser({
        onEvent: (event) => {
          if (event.id !== undefined) lastId = event.id;
          options.onEvent(event.data, event.id);
        },
      });
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parser.feed(value);
      }
      if (options.reconnectOnEnd !== true) {
        options.onState?.("ended");
        return;
      }
      // An API process going away ends its streams cleanly: follow on through another one.
      throw new Error("stream ended");
    } catch {
      if (aborted()) return;
      options.onState?.("reconnecting");
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, RETRY_MAX_MS);
    }
  }
}
