import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { keysFor } from "@jobstream/queue";
import { LocalRedisCluster, System, waitFor, type AppProcess } from "@jobstream/testing";
import { launchSystem } from "@jobstream/testing/fixtures";

const JOBS = 120;
const ITEMS = 5;

// A cluster of its own (its master is killed), with a short node timeout so the failover is quick.
const it = test
  // eslint-disable-next-line no-empty-pattern -- vitest reads a fixture's dependencies from this pattern
  .extend("cluster", { scope: "file" }, async ({}, { onCleanup }) => {
    const dir = await mkdtemp(join(tmpdir(), "jobstream-failover-"));
    const cluster = await LocalRedisCluster.start({ dir, nodeTimeoutMs: 1000 });
    onCleanup(async () => {
      await cluster.stop();
      await rm(dir, { recursive: true, force: true });
    });
    return cluster;
  })
  .extend("launched", { scope: "file" }, async ({ cluster }, { onCleanup }) => {
    const system = new System();
    system.redisClusterNodes = cluster.nodesText;
    return launchSystem(system, onCleanup, async (sys) => {
      await sys.startApi();
      // BullMQ locks that outlast the failover: a job whose lock expired while its slot had no master
      // would be run again (at least once), as on one server after an outage longer than the lock.
      const work = await sys.startWorkers(2, "work", { WORKER_LOCK_MS: "30000" });
      // The reconciler at a production-like delay: with the tests' 1.5 s it would race the mirror's
      // stall and write BullMQ's outcome itself (a second `completed` timeline entry per job).
      return [await sys.startWorker("mirror,housekeep", { RECONCILE_AFTER_MS: "30000" }), ...work];
    });
  });

describe("a Redis Cluster master killed mid-run", () => {
  it("loses no job: each runs once and completes, with its items counted once", async ({ cluster, launched }) => {
    const { sys, started: workers } = launched;
    const member = await sys.token({ sub: randomUUID(), org: randomUUID(), role: "member" });
    const ids = await sys.enqueueMany(member, JOBS, (i) => ({
      type: "synthetic",
      input: { durationMs: 100 + (i % 5) * 100, items: ITEMS },
    }));
    await waitFor(
      "a first jobs to complete",
      async () => ((await sys.countInStatus(ids, "completed")) > 5 ? true : undefined),
      {
        timeoutMs: 60_000,
      },
    );
    // The master of the synthetic queue's slot holds its BullMQ keys and its event stream.
    const master = await cluster.masterOf(keysFor(sys.prefix, true).events("synthetic", 0));
    const stalledMs = await cluster.failover(master);
    console.log(`failover: slots without a master for ${String(stalledMs)} ms`);

    await waitFor(
      "every job to complete",
      async () => ((await sys.countInStatus(ids, "completed")) === JOBS ? true : undefined),
      {
        timeoutMs: 120_000,
        intervalMs: 250,
      },
    );
    const processes: AppProcess[] = [...workers, ...(sys.api ? [sys.api] : [])];
    expect(processes.filter((p) => p.child.exitCode !== null)).toEqual([]);

    const [counts] = await sys.query<{ starts: number; completions: number; jobs: number; wrong: number }>(
      `SELECT (SELECT count(*)::int FROM job_events WHERE job_id = ANY($1::uuid[]) AND type = 'started') AS starts,
              (SELECT count(*)::int FROM job_events WHERE job_id = ANY($1::uuid[]) AND type = 'completed') AS completions,
              (SELECT count(DISTINCT job_id)::int FROM job_events
                WHERE job_id = ANY($1::uuid[]) AND type = 'completed') AS jobs,
              (SELECT count(*)::int FROM jobs j WHERE j.id = ANY($1::uuid[]) AND (
                 j.attempts <> 1 OR j.processed_items <> $2 OR j.total_items <> $2 OR j.failed_items <> 0
                 OR (SELECT count(*) FROM job_items i WHERE i.job_id = j.id AND i.status <> 'pending') <> $2)) AS wrong`,
      [ids, ITEMS],
    );
    if (!counts) throw new Error("no counts");
    // Each job ran once (one attempt: BullMQ counts every start) and its row and items are right.
    // Its timeline holds one `started` and one `completed` entry: a publish whose reply the dead
    // master never sent, sent again by ioredis to the promoted replica that had replicated the
    // first, carries the same publish id and appends nothing (docs/redis-cluster.md).
    expect(counts).toEqual({ jobs: JOBS, wrong: 0, starts: JOBS, completions: JOBS });
  });
});
