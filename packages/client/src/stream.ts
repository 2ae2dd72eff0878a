import { UnavailableError } from "./errors.ts";
import type { JobStatus, JobSummary } from "./generated/types.ts";
import { reconnectPolicy, retryDelayMs } from "./retry-policy.ts";
import { sseMessages } from "./sse-messages.ts";
import { buildUrl, openStream, sleep, type Transport } from "./transport.ts";

/** Server-side filters of `GET /v1/stream`. */
export interface StreamFilter {
  type?: string;
  status?: JobStatus | readonly JobStatus[];
  groupId?: string;
}

export interface StreamOptions {
  /** Stops the stream (the iterator then throws the signal's reason). */
  readonly signal?: AbortSignal;
  /**
   * Connections in a row that receive nothing (no event, no keep-alive) before giving up with
   * `UnavailableError`.
   * @defaultValue 30
   */
  readonly maxReconnects?: number;
  /**
   * Longest wait between reconnections.
   * @defaultValue 5000
   */
  readonly maxReconnectDelayMs?: number;
  /**
   * A connection silent for this long (the API sends a keep-alive every 15 s by default) was lost
   * on the way without being closed (a proxy, a sleeping laptop): it is dropped and reopened.
   * @defaultValue 60000
   */
  readonly idleTimeoutMs?: number;
  /** Told when a connection opens and when one was lost and is being reopened (a "live" indicator). */
  readonly onConnection?: (state: "open" | "reconnecting") => void;
}

/** Most recent versions remembered per stream (jobs seen), so a long-lived stream stays bounded. */
const REMEMBERED = 10_000;

/** `<jobId>:<version>`, the event ids of `/v1/stream`. */
export function parseStreamEventId(id: string | undefined): { jobId: string; version: bigint } | null {
  const match = id === undefined ? null : /^(.+):(\d{1,19})$/.exec(id);
  if (!match?.[1] || match[2] === undefined) return null;
  return { jobId: match[1], version: BigInt(match[2]) };
}

/**
 * Whether `key` is a newer version of its job than any delivered (and remembers it, most recent
 * last, forgetting the oldest past `REMEMBERED`).
 */
function isNewVersion(seen: Map<string, bigint>, key: { jobId: string; version: bigint }): boolean {
  if (key.version <= (seen.get(key.jobId) ?? -1n)) return false;
  seen.delete(key.jobId);
  seen.set(key.jobId, key.version);
  if (seen.size > REMEMBERED) {
    const oldest = seen.keys().next().value;
    if (oldest !== undefined) seen.delete(oldest);
  }
  return true;
}

class IdleError extends Error {
  override name = "IdleError";
}

/**
 * Summaries of every job the caller may see, from `GET /v1/stream`: the active ones first, then
 * each change. Never ends by itself; a dropped connection is reopened with `Last-Event-ID`, and a
 * state already delivered (the API re-sends active jobs on each connection) is not repeated.
 */
export async function* streamJobs(
  transport: Transport,
  filter: StreamFilter = {},
  options: StreamOptions = {},
): AsyncGenerator<JobSummary> {
  const policy = reconnectPolicy(options);
  const idleMs = options.idleTimeoutMs ?? 60_000;
  const status = typeof filter.status === "string" ? filter.status : filter.status?.join(",");
  const url = buildUrl("http://x/", "v1/stream", { type: filter.type, status, groupId: filter.groupId });
  const path = url.slice("http://x/".length);
  const seen = new Map<string, bigint>();
  let lastEventId: string | undefined;
  let failures = 0;
  let lastProblem = "";
  for (;;) {
    let retryAfterMs: number | null = null;
    const attempt = new AbortController();
    const stop = () => {
      attempt.abort(options.signal?.reason);
    };
    options.signal?.addEventListener("abort", stop, { once: true });
    if (options.signal?.aborted) stop();
    let idle: ReturnType<typeof setTimeout> | undefined;
    const heard = () => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        attempt.abort(new IdleError(`no keep-alive for ${String(idleMs)} ms`));
      }, idleMs);
    };
    try {
      heard();
      const connection = await openStream(transport, path, lastEventId, attempt.signal);
      if (connection.refused) {
        retryAfterMs = connection.retryAfterMs;
        lastProblem = connection.refused.message;
      } else if (connection.body) {
        options.onConnection?.("open");
        const resetFailures = () => {
          failures = 0;
        };
        for await (const message of sseMessages(connection.body, { onChunk: heard, onComment: resetFailures })) {
          failures = 0;
          if (message.id !== undefined) lastEventId = message.id;
          if (message.event !== "job") continue;
          const key = parseStreamEventId(message.id);
          if (key && !isNewVersion(seen, key)) continue;
          yield JSON.parse(message.data) as JobSummary;
        }
        lastProblem = "the stream ended";
      }
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason ?? error;
      if (error instanceof Error && "status" in error && typeof error.status === "number" && error.status > 0) {
        throw error;
      }
      lastProblem = attempt.signal.reason instanceof IdleError ? attempt.signal.reason.message : String(error);
    } finally {
      clearTimeout(idle);
      options.signal?.removeEventListener("abort", stop);
    }
    failures++;
    const delay = retryDelayMs(failures, retryAfterMs, policy);
    if (delay === null) {
      throw new UnavailableError("network", `the job stream failed ${String(failures)} times: ${lastProblem}`);
    }
    options.onConnection?.("reconnecting");
    await sleep(delay, options.signal);
  }
}
