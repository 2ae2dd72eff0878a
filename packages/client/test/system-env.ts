import { randomUUID } from "node:crypto";
import { systemTest } from "@jobstream/testing/fixtures";
import type { FetchLike } from "../src/index.ts";

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

/** A fetch that notes the Last-Event-ID header of every request `matches` selects (null when absent). */
export function lastEventIdsOf(matches: (url: string) => boolean): {
  fetch: FetchLike;
  lastEventIds: (string | null)[];
} {
  const lastEventIds: (string | null)[] = [];
  const recording: FetchLike = (url, init) => {
    if (matches(url)) lastEventIds.push(new Headers(init.headers).get("last-event-id"));
    return fetch(url, init);
  };
  return { fetch: recording, lastEventIds };
}
