import { randomUUID } from "node:crypto";
import { systemTest } from "@jobstream/testing/fixtures";

/**
 * The API alone, per test file (no worker: what these files create is stored, nothing runs);
 * `started.env` points the CLI at it as an admin of an org of its own.
 */
export const it = systemTest(async (sys) => {
  await sys.startApi({ ENABLE_SYNTHETIC_JOBS: "true", RATE_LIMIT_PER_MINUTE: "100000" });
  const token = await sys.token({ sub: randomUUID(), org: randomUUID(), role: "admin" });
  return { env: { JOBSTREAM_URL: sys.apiUrl, JOBSTREAM_TOKEN: token } };
});
