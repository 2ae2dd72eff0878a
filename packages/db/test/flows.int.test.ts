import { describe, expect } from "vitest";
import {
  childrenSettledFor,
  findChildOutcomes,
  findFlowDescendants,
  findPendingJobs,
  findUnfinishedDescendantIds,
  markFlowParent,
  summarizeChildren,
} from "../src/index";
import { it, newJob } from "./fixtures";

const ago = new Date(Date.now() - 60_000);

describe("flow repositories", () => {
  it("finds a flow's unfinished descendants, leaving out final ones and everything below them", async ({
    db,
    pool,
  }) => {
    const root = newJob({ status: "waiting_children" });
    const open = newJob({ parentId: root.id, status: "waiting_children" });
    const grandchild = newJob({ parentId: open.id, status: "running" });
    const done = newJob({ parentId: root.id, status: "completed" });
    const belowDone = newJob({ parentId: done.id, status: "queued" });
    const other = newJob({ status: "queued" });
    await db.job.createMany({ data: [root, open, grandchild, done, belowDone, other] });
    const found = await findFlowDescendants(pool, [root.id]);
    expect(found.map((j) => [j.id, j.parentId]).sort()).toEqual(
      [
        [open.id, root.id],
        [grandchild.id, open.id],
      ].sort(),
    );
    expect(await findFlowDescendants(pool, [])).toEqual([]);
    // The cancel cascade's order: parents before their children.
    expect(await findUnfinishedDescendantIds(pool, root.id)).toEqual([open.id, grandchild.id]);
  });

  it("leaves a pending sub-job of a pending parent to its parent's flow in the outbox", async ({ db, pool }) => {
    const parent = newJob({ status: "pending", createdAt: ago });
    const child = newJob({ parentId: parent.id, status: "pending", createdAt: ago });
    const underRunning = newJob({ status: "running", createdAt: ago });
    const spawned = newJob({ parentId: underRunning.id, status: "pending", createdAt: ago });
    await db.job.createMany({ data: [parent, child, underRunning, spawned] });
    const pending = (await findPendingJobs(pool, 1000, 500)).map((j) => j.id);
    expect(pending).toEqual(expect.arrayContaining([parent.id, spawned.id]));
    expect(pending).not.toContain(child.id);
  });

  it("summarizes children by status with their mean progress, final ones counting 100", async ({ db, pool }) => {
    const parent = newJob({ status: "waiting_children" });
    const lone = newJob();
    await db.job.createMany({
      data: [
        parent,
        lone,
        newJob({ parentId: parent.id, status: "completed" }),
        newJob({ parentId: parent.id, status: "failed", progressPercent: 10 }),
        newJob({ parentId: parent.id, status: "running", progressPercent: 40 }),
        newJob({ parentId: parent.id, status: "queued" }),
      ],
    });
    const summaries = await summarizeChildren(pool, [parent.id, lone.id]);
    expect(summaries.get(parent.id)).toEqual({
      total: 4,
      counts: { completed: 1, failed: 1, running: 1, queued: 1 },
      progress: 60,
    });
    expect(summaries.has(lone.id)).toBe(false);
  });

  it("reads children's outcomes in creation order and records a running parent's policy", async ({ db, pool }) => {
    const parent = newJob({ status: "running", options: { timeoutMs: 5 } });
    const first = newJob({
      parentId: parent.id,
      status: "completed",
      output: { n: 1 },
      createdAt: new Date(Date.now() - 2000),
    });
    const second = newJob({ parentId: parent.id, status: "failed", errorCode: "boom", errorMessage: "it broke" });
    await db.job.createMany({ data: [parent, second, first] });
    expect(await findChildOutcomes(pool, parent.id)).toEqual([
      expect.objectContaining({ id: first.id, status: "completed", output: { n: 1 }, errorCode: null }),
      expect.objectContaining({ id: second.id, status: "failed", output: null, errorCode: "boom" }),
    ]);
    await markFlowParent(pool, parent.id, "ignore");
    const row = await db.job.findUniqueOrThrow({ where: { id: parent.id } });
    expect(row.options).toEqual({ timeoutMs: 5, onChildFailure: "ignore" });
  });

  it("says when every child has been final for a while (a stranded parent)", async ({ db, pool }) => {
    const parent = newJob({ status: "waiting_children" });
    const old = new Date(Date.now() - 120_000);
    const child = newJob({ parentId: parent.id, status: "completed", completedAt: old, updatedAt: old });
    await db.job.createMany({ data: [parent, child] });
    expect(await childrenSettledFor(pool, parent.id, 60_000)).toBe(true);
    expect(await childrenSettledFor(pool, parent.id, 180_000)).toBe(false);
    await db.job.create({ data: newJob({ parentId: parent.id, status: "running" }) });
    expect(await childrenSettledFor(pool, parent.id, 60_000)).toBe(false);
  });
});
