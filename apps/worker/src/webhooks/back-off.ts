/**
 * Waits before each attempt of a delivery: the first is immediate, then 5 s, 5 min, 30 min, 2 h, 5 h,
 * 10 h, 10 h (about 28 h in all, Standard Webhooks' suggested schedule); after the last it gives up.
 */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [
  0,
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3_600_000,
  5 * 3_600_000,
  10 * 3_600_000,
  10 * 3_600_000,
];

/** What follows an attempt at `step` (0: the first of the schedule) that did not succeed. */
export function retryAfterFailure(
  step: number,
  delaysMs: readonly number[],
  now: Date,
): { kind: "retry"; retryAt: Date } | { kind: "failed" } {
  const delay = delaysMs[step + 1];
  return delay === undefined ? { kind: "failed" } : { kind: "retry", retryAt: new Date(now.getTime() + delay) };
}

/** `WEBHOOK_RETRY_DELAYS_MS`: comma-separated milliseconds, e.g. "0,100,200" in tests. */
export function parseDelays(text: string): number[] {
  return text.split(",").map((part) => {
    const ms = Number(part.trim());
    if (part.trim() === "" || !Number.isInteger(ms) || ms < 0)
      throw new Error(`"${part}" is not a delay in milliseconds`);
    return ms;
  });
}
