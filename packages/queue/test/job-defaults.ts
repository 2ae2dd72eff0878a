import type { JobDefaults } from "@jobstream/job-types";

/** A job type's defaults for the unit tests of `jobSpec` and flows: values a row's own options can be told from. */
export const defaults: JobDefaults = {
  attempts: 4,
  backoff: { type: "exponential", delayMs: 2000 },
  priority: 30,
  concurrency: 5,
  timeoutMs: 60_000,
  retentionSeconds: 3600,
};
