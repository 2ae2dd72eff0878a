import { waitFor } from "./wait";

export interface SseEvent {
  readonly id: string | null;
  readonly event: string;
  readonly data: unknown;
}

export interface SseConnection {
  readonly status: number;
  /** Every event received so far, in order. */
  readonly events: SseEvent[];
  /** True once the server ended the stream. */
  ended(): boolean;
  waitFor(what: string, check: (events: SseEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
}

/** A minimal EventSource for tests: sends headers (incl. Last-Event-ID), records parsed events. */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseConnection> {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { accept: "text/event-stream", ...headers }, signal: controller.signal });
  const events: SseEvent[] = [];
  let done = false;
  if (res.body && res.headers.get("content-type")?.startsWith("text/event-stream")) {
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    void (async () => {
      try {
        for (;;) {
          const { value, done: finished } = await reader.read();
          if (finished) break;
          buffer += value;
          let at: number;
          while ((at = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, at);
            buffer = buffer.slice(at + 2);
            let id: string | null = null;
            let event = "message";
            const data: string[] = [];
            for (const line of block.split("\n")) {
              if (line.startsWith("id: ")) id = line.slice(4);
              else if (line.startsWith("event: ")) event = line.slice(7);
              else if (line.startsWith("data: ")) data.push(line.slice(6));
            }
            if (data.length > 0) events.push({ id, event, data: JSON.parse(data.join("\n")) as unknown });
          }
        }
      } catch {
        // aborted by close()
      } finally {
        done = true;
      }
    })();
  } else {
    done = true;
  }
  return {
    status: res.status,
    events,
    ended: () => done,
    waitFor: (what, check, timeoutMs = 20_000) =>
      waitFor(what, () => check(events), { timeoutMs, intervalMs: 20 }).then(() => undefined),
    close: () => {
      controller.abort();
    },
  };
}
