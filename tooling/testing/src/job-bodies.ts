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
