/** Env the API and worker processes of these tests get on top of the System's own. */
export const SYSTEM_ENV = {
  // The synthetic job type is what these tests enqueue; deployments may switch it off.
  ENABLE_SYNTHETIC_JOBS: "true",
  RATE_LIMIT_PER_MINUTE: "100000",
};
export const WORKER_ROLES = "work,mirror,housekeep";
