import { randomUUID } from "node:crypto";
import { systemTest } from "@jobstream/testing/fixtures";

/** Env the API and worker processes of these tests get on top of the System's own. */
export const SYSTEM_ENV = {
  // The synthetic job type is what these tests enqueue; deployments may switch it off.
  ENABLE_SYNTHETIC_JOBS: "true",
  RATE_LIMIT_PER_MINUTE: "100000",
};
export const WORKER_ROLES = "work,mirror,housekeep";

/**
 * An API and workers with the settings above, per test file; `started` is the file's org and an
 * admin token in it.
 */
export const it = systemTest(async (sys) => {
  await sys.startApi(SYSTEM_ENV);
  await sys.startWorker(WORKER_ROLES, SYSTEM_ENV);
  const org = randomUUID();
  return { org, token: await sys.token({ sub: randomUUID(), org, role: "admin" }) };
});
