/**
 * A delayed synthetic job asking for every enqueue option, so a test can check each one reaches
 * BullMQ however the job gets there (enqueue, retry, outbox).
 */
export const DELAYED_JOB_WITH_OPTIONS = {
  type: "synthetic",
  subtype: "noop",
  input: {},
  delayMs: 600_000,
  priority: 80,
  maxAttempts: 2,
  backoff: { type: "exponential", delayMs: 70 },
  timeoutMs: 5000,
};

/** An enqueue body for a `synthetic/work` job with this input (`extra`: name, options, children…). */
export const syntheticWork = (input: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: "synthetic",
  subtype: "work",
  input,
  ...extra,
});
