import { createParser, type EventSourceMessage } from "eventsource-parser";

/**
 * The Server-Sent Events of a response body as they arrive. `onChunk` hears every chunk and
 * `onComment` every comment (the API's keep-alives), so a caller can tell a quiet stream from a
 * dead one. Stopping the iteration cancels the body.
 */
export async function* sseMessages(
  body: ReadableStream<Uint8Array>,
  hooks: { onChunk?: () => void; onComment?: () => void } = {},
): AsyncGenerator<EventSourceMessage> {
  const queue: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => queue.push(event), onComment: hooks.onComment });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      hooks.onChunk?.();
      parser.feed(decoder.decode(value, { stream: true }));
      while (queue.length > 0) {
        const next = queue.shift();
        if (next) yield next;
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
