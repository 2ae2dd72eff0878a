// Changing REDIS_CLUSTER_QUEUE_GROUPS on a running deployment (docs/redis-cluster.md): on a cluster a
// queue that joins a group moves to the group's hash tag, and the reconciler adds its unfinished jobs
// again from Postgres; on one server the keys do not move and nothing needs repair.
import { describe, expect } from "vitest";
import { systemTest } from "@jobstream/testing/fixtures";

const it = systemTest(async (sys) => {
  await sys.startApi();
  await sys.startWorker("work,mirror,housekeep");
});

const importJob = {
  type: "import",
  subtype: "csv",
  input: { csv: "sku\nA-1\n", columns: [{ name: "sku", type: "string" }], keyColumn: "sku" },
  // Still waiting in its queue's keys when the processes stop.
  delayMs: 4000,
};

describe("changing the queue groups", () => {
  it("runs a job left under its queue's old keys once the processes restart with new groups", async ({
    sys,
    member,
  }) => {
    const job = await sys.enqueue(member, importJob);
    for (const worker of sys.workers.splice(0)) {
      worker.kill("SIGTERM");
      await worker.exited();
    }
    const groups = { REDIS_CLUSTER_QUEUE_GROUPS: "synthetic+import" };
    await sys.restartApi("SIGTERM", undefined, groups);
    await sys.startWorker("work,mirror,housekeep", groups);
    const done = await sys.waitForStatus(member, job.id, "completed", 60_000);
    expect(done.output).toEqual({ rows: 1, imported: 1, failed: 0 });
    const events = await sys.query<{ type: string }>(`SELECT type::text FROM job_events WHERE job_id = $1`, [job.id]);
    const requeued = events.filter((e) => e.type === "requeued").length;
    // Moved keys on a cluster: the reconciler found the job missing and added it again (once).
    expect(requeued).toBe(sys.redisClusterNodes === undefined ? 0 : 1);
    expect(events.filter((e) => e.type === "started")).toHaveLength(1);
  });
});
