/** How the client retries requests that failed for a passing reason. */
export interface RetryOptions {
  /**
   * Tries per request, the first included.
   * @defaultValue 4
   */
  readonly attempts?: number;
  /**
   * First back-off delay; doubled per try, with jitter.
   * @defaultValue 250
   */
  readonly baseDelayMs?: number;
  /**
   * Longest wait between tries; a `Retry-After` beyond it is not waited for (the error is thrown).
   * @defaultValue 30000
   */
  readonly maxDelayMs?: number;
}

export type ResolvedRetry = Required<RetryOptions>;

export function resolveRetry(options: RetryOptions | false | undefined): ResolvedRetry {
  if (options === false) return { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 };
  return {
    attempts: Math.max(1, Math.floor(options?.attempts ?? 4)),
    baseDelayMs: Math.max(0, options?.baseDelayMs ?? 250),
    maxDelayMs: Math.max(0, options?.maxDelayMs ?? 30_000),
  };
}

/** The streams' reconnection policy: `maxReconnects` failed connections in a row before giving up. */
export function reconnectPolicy(options: { maxReconnects?: number; maxReconnectDelayMs?: number }): ResolvedRetry {
  return {
    attempts: (options.maxReconnects ?? 30) + 1,
    baseDelayMs: 500,
    maxDelayMs: options.maxReconnectDelayMs ?? 5000,
  };
}

/** Statuses that mean "not processed, try later": rate limits and a temporarily unavailable API. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 503;
}

/** `Retry-After` (seconds or an HTTP date) in milliseconds from `now`; null when absent or unreadable. */
export function parseRetryAfter(header: string | null, now: number): number | null {
  if (header === null || header.trim() === "") return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date names its weekday and month; `Date.parse` would also take "-1" as a year.
  if (!/[a-z]{3}/i.test(trimmed)) return null;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * The wait before try number `attempt + 1` (attempt counts from 1), or null to give up: out of
 * tries, or the server asked for a wait longer than `maxDelayMs`.
 */
export function retryDelayMs(
  attempt: number,
  retryAfterMs: number | null,
  policy: ResolvedRetry,
  random: () => number = Math.random,
): number | null {
  if (attempt >= policy.attempts) return null;
  if (retryAfterMs !== null) return retryAfterMs <= policy.maxDelayMs ? retryAfterMs : null;
  const exponential = policy.baseDelayMs * 2 ** (attempt - 1);
  // "Equal jitter": half fixed, half random, so many clients do not retry in lockstep.
  return Math.min(policy.maxDelayMs, exponential / 2 + (random() * exponential) / 2);
}
