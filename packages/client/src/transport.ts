import { errorFromResponse, UnavailableError, type JobstreamError } from "./errors.ts";
import { isRetryableStatus, parseRetryAfter, retryDelayMs, type ResolvedRetry } from "./retry-policy.ts";

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** A bearer token, or a function returning the current one (called per request, e.g. to refresh). */
export type TokenSource = string | (() => string | Promise<string>);

export interface TransportOptions {
  readonly baseUrl: string;
  readonly token: TokenSource;
  readonly fetch: FetchLike;
  readonly retry: ResolvedRetry;
}

export type Query = Record<string, string | number | readonly string[] | undefined>;

export interface RequestOptions {
  readonly query?: Query;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
  /**
   * Whether a request that got no answer may be sent again. True for reads and for enqueues
   * (their idempotency key makes a repeat harmless); false for cancel/retry, where a repeat of a
   * request that did arrive would answer 409. 429 and 503 are retried either way: the API did not act.
   */
  readonly retryNetworkErrors: boolean;
  readonly signal?: AbortSignal | undefined;
  /** Told the status of the answer that is returned (enqueue: 202 created, 200 existing). */
  readonly onStatus?: (status: number) => void;
}

export function buildUrl(baseUrl: string, path: string, query: Query = {}): string {
  const url = new URL(path, baseUrl.endsWith("/") ? baseUrl : `${baseUrl}/`);
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    url.searchParams.set(key, Array.isArray(value) ? value.join(",") : String(value));
  }
  return url.toString();
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The error a non-2xx answer stands for (an API error body, or the text of another answer), and the
 * wait its `Retry-After` asked for.
 */
export async function errorOfAnswer(
  response: Response,
): Promise<{ error: JobstreamError; retryAfterMs: number | null }> {
  const text = await response.text().catch(() => "");
  let body: unknown = text;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    /* not JSON: the text itself */
  }
  const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), Date.now());
  return { error: errorFromResponse(response.status, body, retryAfterMs), retryAfterMs };
}

/** One connection of an event stream: its body, or a refusal worth retrying (and the wait it asked for). */
export type StreamConnection =
  | { readonly body: ReadableStream<Uint8Array> | null; readonly refused?: undefined }
  | { readonly refused: JobstreamError; readonly retryAfterMs: number | null };

/**
 * Opens one connection of an SSE stream, resumed after `lastEventId`. A refusal that retrying cannot
 * change (signed out, a bad filter, no such job) is thrown; rate limits and server errors are returned.
 */
export async function openStream(
  transport: Transport,
  path: string,
  lastEventId: string | undefined,
  signal: AbortSignal | undefined,
): Promise<StreamConnection> {
  const headers: Record<string, string> = { accept: "text/event-stream" };
  if (lastEventId !== undefined) headers["last-event-id"] = lastEventId;
  const response = await transport.open(path, { headers, signal });
  if (response.ok) return { body: response.body };
  const { error, retryAfterMs } = await errorOfAnswer(response);
  if (!isRetryableStatus(response.status) && response.status < 500) throw error;
  return { refused: error, retryAfterMs };
}

export interface Transport {
  /** Sends one API request (with retries) and returns the parsed JSON answer of a 2xx status. */
  request(method: string, path: string, options: RequestOptions): Promise<unknown>;
  /** Sends a request once and returns the raw response (streams); headers carry the token. */
  open(path: string, init: { headers?: Record<string, string>; signal?: AbortSignal | undefined }): Promise<Response>;
  readonly retry: ResolvedRetry;
}

export function createTransport(options: TransportOptions): Transport {
  const authorization = async (): Promise<string> => {
    const token = typeof options.token === "function" ? await options.token() : options.token;
    return `Bearer ${token}`;
  };

  const request = async (method: string, path: string, req: RequestOptions): Promise<unknown> => {
    const url = buildUrl(options.baseUrl, path, req.query);
    for (let attempt = 1; ; attempt++) {
      const headers: Record<string, string> = { accept: "application/json", ...req.headers };
      headers.authorization = await authorization();
      if (req.body !== undefined) headers["content-type"] = "application/json";
      let response: Response;
      try {
        response = await options.fetch(url, {
          method,
          headers,
          body: req.body === undefined ? null : JSON.stringify(req.body),
          signal: req.signal ?? null,
        });
      } catch (cause) {
        if (req.signal?.aborted) throw cause;
        const delay = req.retryNetworkErrors ? retryDelayMs(attempt, null, options.retry) : null;
        if (delay === null) {
          throw new UnavailableError("network", `${method} ${url} got no answer: ${String(cause)}`, { cause });
        }
        await sleep(delay, req.signal);
        continue;
      }
      if (response.ok) {
        req.onStatus?.(response.status);
        return readBody(response);
      }
      const { error, retryAfterMs } = await errorOfAnswer(response);
      const delay = isRetryableStatus(response.status) ? retryDelayMs(attempt, retryAfterMs, options.retry) : null;
      if (delay === null) throw error;
      await sleep(delay, req.signal);
    }
  };

  const open = async (path: string, init: { headers?: Record<string, string>; signal?: AbortSignal | undefined }) => {
    const headers = { ...init.headers, authorization: await authorization() };
    return options.fetch(buildUrl(options.baseUrl, path), { method: "GET", headers, signal: init.signal ?? null });
  };

  return { request, open, retry: options.retry };
}
