import { describe, expect } from "vitest";
import { heldShards, mirroredEntries, waitFor, type AppProcess } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";
import { systemRedis } from "./system-redis";

const SHARDS = 4;
const JOBS = 1200;
const ITEMS = 4;

/**
 * One hot queue split over four shards, two mirror processes sharing them; one is SIGKILLed
 * mid-run and the other takes its shards over. Nothing else repairs rows (no housekeeper), so
 * every row being right proves the mirrors applied every event, once.
 */
const it = systemTest(async (sys) => {
  const env = { MIRROR_SHARDS: String(SHARDS) };
  await sys.startApi({ ...env, RATE_LIMIT_PER_MINUTE: "1000000" });
  // Few slots and some work per job: the run lasts long enough for the kill to land in its middle.
  await sys.startWorker("work", { ...env, CONCURRENCY_SYNTHETIC: "10" });
  // Short leases: the survivor takes the dead mirror's shards over within seconds.
  return sys.startWorkers(2, "mirror", { ...env, MIRROR_LEASE_MS: "3000" });
}).extend("redis", { scope: "file" }, systemRedis);

const shardsOf = (mirror: AppProcess) => heldShards(mirror, "synthetic");

describe("two mirrors on one sharded queue", () => {
  it("share its shards; when one is killed the other takes them over and every event applies once", async ({
    sys,
    member,
    redis,
    started: mirrors,
  }) => {
    const [first, second] = mirrors;
    if (first === undefined || second === undefined) throw new Error("two mirrors");
    // The first took every shard alone; once the second registered, each holds its fair share.
    await waitFor(
      "each mirror to hold two shards",
      () => (shardsOf(first).size === 2 && shardsOf(second).size === 2) || undefined,
      {
        timeoutMs: 40_000,
      },
    );
    expect(new Set([...shardsOf(first), ...shardsOf(second)])).toEqual(new Set([0, 1, 2, 3]));

    const ids = await sys.enqueueMany(member, JOBS, () => ({
      type: "synthetic",
      subtype: "work",
      input: { items: ITEMS, failItems: [1], durationMs: 40 },
    }));
    await waitFor(
      "both mirrors applying",
      async () => ((await mirroredEntries(first)) > 0 && (await mirroredEntries(second)) > 0) || undefined,
      {
        timeoutMs: 60_000,
      },
    );
    const victimShards = shardsOf(second);
    second.kill("SIGKILL");
    await second.exited();
    expect(await sys.countInStatus(ids, "completed")).toBeLessThan(JOBS);

    // Its leases expire (3 s here) and the registry drops it: the survivor holds every shard.
    await waitFor("the survivor to hold every shard", () => shardsOf(first).size === SHARDS || undefined, {
      timeoutMs: 60_000,
    });
    for (const shard of victimShards) expect(shardsOf(first).has(shard)).toBe(true);
    await waitFor(
      "every job completed in Postgres",
      async () => (await sys.countInStatus(ids, "completed")) === JOBS || undefined,
      {
        timeoutMs: 180_000,
        intervalMs: 500,
      },
    );

    const [counters] = await sys.query<{ wrong: number; items: number }>(
      `SELECT count(*) FILTER (WHERE j.processed_items <> i.outcomes OR j.failed_items <> i.errors
                                  OR j.processed_items <> $2 OR j.failed_items <> 1 OR j.total_items <> $2)::int AS wrong,
              coalesce(sum(i.outcomes), 0)::int AS items
       FROM jobs j
       JOIN LATERAL (SELECT count(*) FILTER (WHERE status <> 'pending') AS outcomes,
                            count(*) FILTER (WHERE status = 'error') AS errors
                     FROM job_items WHERE job_id = j.id) i ON true
       WHERE j.id = ANY($1::uuid[])`,
      [ids, ITEMS],
    );
    expect(counters).toEqual({ wrong: 0, items: JOBS * ITEMS });
    const duplicates = await sys.query(
      `SELECT job_id, type, count(*) FROM job_events WHERE job_id = ANY($1::uuid[])
       GROUP BY job_id, type HAVING count(*) > 1 LIMIT 5`,
      [ids],
    );
    expect(duplicates).toEqual([]);
    const [finished] = await sys.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM job_events WHERE job_id = ANY($1::uuid[]) AND type = 'completed'`,
      [ids],
    );
    expect(finished?.n).toBe(JOBS);
    // Acknowledged entries are deleted: every shard's stream drains.
    // One XLEN per shard: on a cluster each shard's stream may live on another master.
    await waitFor("every shard's stream drained", async () => {
      const lengths = await Promise.all(
        [0, 1, 2, 3].map((shard) => redis.client.xlen(redis.keys.events("synthetic", shard))),
      );
      return lengths.every((n) => n === 0) || undefined;
    });
  });
});
