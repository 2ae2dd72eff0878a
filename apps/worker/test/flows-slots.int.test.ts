// Flows across job types on a Redis Cluster (`pnpm test:cluster`): types grouped in
// REDIS_CLUSTER_QUEUE_GROUPS share a hash slot, so their flows run; a flow across groups is refused
// up front (API 400, a spawning handler's attempt fails). On one server (`pnpm test`) every such
// flow runs: the same file proves nothing changes there.
import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import type { System } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";
import { rows, type Answer } from "./flows-fixture";

const GROUPS = { REDIS_CLUSTER_QUEUE_GROUPS: "synthetic+import" };

const it = systemTest(async (sys) => {
  await sys.startApi(GROUPS);
  await sys.startWorker("work,mirror,housekeep", GROUPS);
});

const onCluster = (sys: System) => sys.redisClusterNodes !== undefined;

const csv = (row: string) => ({
  type: "import",
  subtype: "csv",
  input: {
    csv: `sku,name\n${row}\n`,
    columns: [
      { name: "sku", type: "string", required: true },
      { name: "name", type: "string" },
    ],
    keyColumn: "sku",
  },
});
/** A maintenance job (a type outside the group; operators and services enqueue it) that changes nothing. */
const dryCleanup = { type: "maintenance", subtype: "cleanup", input: { dryRun: true, maxBatches: 1 } };
const gather = (input: Record<string, unknown>, children?: unknown[]) => ({
  type: "synthetic",
  subtype: "gather",
  input,
  ...(children === undefined ? {} : { children }),
});

interface ErrorBody {
  error: { code: string; message: string; details: { path: string; message: string }[] };
}

describe("flows across job types", () => {
  it("runs a flow whose sub-jobs are of another type in the parent's group", async ({ sys, member }) => {
    const res = await sys.request<Answer>("POST", "/v1/jobs", {
      token: member,
      body: gather({}, [csv("A-1,Chair"), { type: "synthetic", input: { output: "w" } }, csv("A-2,Table")]),
    });
    expect(res.status).toBe(202);
    const parent = await sys.waitForStatus(member, res.body.job.id, "completed");
    const ids = (res.body.children ?? []).map((c) => c.job.id);
    expect(parent.output).toEqual({
      children: [
        { id: ids[0], status: "completed", output: { rows: 1, imported: 1, failed: 0 } },
        { id: ids[1], status: "completed", output: { echo: "w", items: 0 } },
        { id: ids[2], status: "completed", output: { rows: 1, imported: 1, failed: 0 } },
      ],
    });
  });

  it("refuses a flow across groups on a cluster with 400 flow_crosses_slots, storing nothing", async ({ sys }) => {
    const org = randomUUID();
    const service = await sys.token({ sub: randomUUID(), org, role: "service" });
    const body = gather({}, [csv("A-1,Chair"), dryCleanup]);
    const one = await sys.request<ErrorBody | Answer>("POST", "/v1/jobs", { token: service, body });
    const batch = await sys.request<ErrorBody | { jobs: Answer[] }>("POST", "/v1/jobs/batch", {
      token: service,
      body: { jobs: [gather({}, [csv("B-1,Desk")]), gather({}, [{ ...gather({}, [dryCleanup]) }])] },
    });
    const stored = await sys.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE org_id = $1`, [org]);
    if (!onCluster(sys)) {
      expect([one.status, batch.status]).toEqual([202, 202]);
      expect(stored[0]?.n).toBe(3 + 5);
      return;
    }
    expect(one.status).toBe(400);
    expect(one.body).toMatchObject({
      error: {
        code: "flow_crosses_slots",
        details: [{ path: "children.1.type", message: expect.stringContaining("synthetic+maintenance") as unknown }],
      },
    });
    expect(batch.status).toBe(400);
    expect(batch.body).toMatchObject({
      error: { code: "flow_crosses_slots", details: [{ path: "jobs.1.children.0.children.0.type" }] },
    });
    expect(stored[0]?.n).toBe(0);
  });

  it("runs a batch of flows that each fit a slot, in different slots", async ({ sys }) => {
    const service = await sys.token({ sub: randomUUID(), org: randomUUID(), role: "service" });
    const res = await sys.request<{ jobs: Answer[] }>("POST", "/v1/jobs/batch", {
      token: service,
      body: { jobs: [gather({}, [csv("D-1,Shelf")]), { ...dryCleanup, children: [dryCleanup] }] },
    });
    expect(res.status).toBe(202);
    for (const answer of res.body.jobs) await sys.waitForStatus(service, answer.job.id, "completed");
  });

  it("fails a handler's attempt that spawns a sub-job across groups; one in its group runs", async ({ sys }) => {
    const service = await sys.token({ sub: randomUUID(), org: randomUUID(), role: "service" });
    const inGroup = await sys.enqueue(service, gather({ spawn: 2, childJob: csv("C-1,Lamp") }));
    const across = await sys.enqueue(service, gather({ spawn: 1, childJob: dryCleanup }));
    const grouped = await sys.waitForStatus(service, inGroup.id, "completed");
    expect(grouped.output).toMatchObject({ children: [{ status: "completed" }, { status: "completed" }] });
    if (!onCluster(sys)) {
      await sys.waitForStatus(service, across.id, "completed");
      return;
    }
    const failed = await sys.waitForStatus(service, across.id, "failed");
    expect(failed.error?.code).toBe("flow_crosses_slots");
    expect(failed.error?.message).toMatch(/^children\.0\.type: a maintenance sub-job cannot join a synthetic flow/);
    // Refused before anything was stored: no sub-job row, one attempt (not retried).
    expect(failed.attempts).toBe(1);
    const children = await sys.query(`SELECT id FROM jobs WHERE parent_id = $1`, [across.id]);
    expect(children).toHaveLength(0);
    expect((await rows(sys, [across.id])).get(across.id)?.status).toBe("failed");
  });
});
