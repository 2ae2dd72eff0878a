import { createParser } from "eventsource-parser";

export interface StreamOptions {
  /** Bearer header value; EventSource cannot send one, so streams are read with fetch. */
  readonly authorization: string;
  readonly onEvent: (data: string, id: string | undefined) => void;
  /** Called when the stream is (re)opened or lost, for a "live" indicator. */
  readonly onState?: (state: "open" | "reconnecting" | "ended") => void;
  /**
   * Whether to reconnect when the server ends the stream. A job stream ends on purpose once the
   * job is final, but an API process that stops also ends its streams: reconnect unless final.
   */
  readonly reconnectOnEnd: () => boolean;
  readonly signal: AbortSignal;
}

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 10_000;
/**
 * The API sends a keep-alive comment every SSE_KEEPALIVE_MS (15 s by default): a stream silent for
 * much longer was dropped on the way without being closed (a proxy, a sleeping laptop).
 */
const IDLE_MS = 60_000;

class StreamEnded extends Error {
  override readonly name = "StreamEnded";
}

/**
 * Reads a Server-Sent Events stream of the API, reconnecting with `Last-Event-ID` after network
 * errors, silences and server-side ends (backing off) until `signal` aborts or the end is final.
 */
export async function followStream(url: string, options: StreamOptions): Promise<void> {
  let lastId: string | undefined;
  let delay = RETRY_MIN_MS;
  // A function, not a property read: the signal aborts while this loop awaits.
  const aborted = () => options.signal.aborted;
  while (!aborted()) {
    const attempt = new AbortController();
    const stopAttempt = () => { attempt.abort(); };
    options.signal.addEventListener("abort", stopAttempt);
    let idle: ReturnType<typeof setTimeout> | undefined;
    const watch = () => {
      clearTimeout(idle);
      idle = setTimeout(stopAttempt, IDLE_MS);
    };
    try {
      const headers: Record<string, string> = { authorization: options.authorization, accept: "text/event-stream" };
      if (lastId !== undefined) headers["last-event-id"] = lastId;
      watch();
      const res = await fetch(url, { headers, signal: attempt.signal });
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
        watch();
        parser.feed(value);
      }
      if (!options.reconnectOnEnd()) {
        options.onState?.("ended");
        return;
      }
      throw new StreamEnded("stream ended");
    } catch {
      if (aborted()) return;
      options.onState?.("reconnecting");
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, RETRY_MAX_MS);
    } finally {
      clearTimeout(idle);
      options.signal.removeEventListener("abort", stopAttempt);
    }
  }
}
