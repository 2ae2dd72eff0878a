import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import {
  findJobById,
  findJobViewRow,
  findJobViewWithChildren,
  isFinalStatus,
  listActiveJobs,
  summarizeChildren,
  type Job,
  type JobScope,
} from "../src/index";
import { it, newJob } from "./fixtures";

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

describe("the plain-SQL hot reads", () => {
  it("reads every field of the job view the same way", async ({ db, pool }) => {
    const job = newJob({
      userId: randomUUID(),
      subtype: null,
      status: "failed",
      priority: 7,
      attempts: 2,
      progressPercent: "33.33",
      progressMessage: "half",
      currentStep: "load",
      totalItems: 9,
      processedItems: 5,
      failedItems: 2,
      skippedItems: 1,
      input: { a: [1, { b: null }] },
      output: { ok: false },
      metadata: { tag: "x" },
      errorCode: "boom",
      errorMessage: "it broke",
      errorStack: "Error: it broke\n    at x",
      accessTokenHash: "ab".repeat(32),
      parentId: null,
      groupId: "g1",
      queuedAt: minutesAgo(3),
      startedAt: minutesAgo(2),
      completedAt: minutesAgo(1),
      durationMs: 61_000,
    });
    await db.job.create({ data: job });
    const prisma = await findJobById(db, job.id);
    const sql = await findJobViewRow(pool, job.id);
    expect(prisma).not.toBeNull();
    expect(sql).not.toBeNull();
    if (prisma === null || sql === null) return;
    for (const [key, value] of Object.entries(sql)) {
      const expected = (prisma as Record<string, unknown>)[key];
      const read = key === "progressPercent" ? Number(expected) : key === "version" ? String(expected) : expected;
      expect(read, key).toEqual(value);
    }
    expect(await findJobViewRow(pool, randomUUID())).toBeNull();
  });

  it("reads a job with its children's summary in one statement, as the two reads apart do", async ({ db, pool }) => {
    const [parent, lone] = [newJob({ status: "waiting_children" }), newJob()];
    const children = (["0", "40", "10"] as const).map((progressPercent, i) =>
      newJob({ parentId: parent.id, status: i === 0 ? "completed" : "running", progressPercent }),
    );
    await db.job.createMany({ data: [parent, lone, ...children] });
    const withChildren = await findJobViewWithChildren(pool, parent.id);
    expect(withChildren?.row).toEqual(await findJobViewRow(pool, parent.id));
    expect(withChildren?.children).toEqual((await summarizeChildren(pool, [parent.id])).get(parent.id));
    expect(withChildren?.children).toEqual({ total: 3, counts: { completed: 1, running: 2 }, progress: 50 });
    const alone = await findJobViewWithChildren(pool, lone.id);
    expect(alone).toEqual({ row: await findJobViewRow(pool, lone.id), children: undefined });
    expect(await findJobViewWithChildren(pool, randomUUID())).toBeNull();
  });

  it("lists the active jobs the rule names, newest first, for every scope shape", async ({ db, pool }) => {
    const org = randomUUID();
    const user = randomUUID();
    const createdAt = minutesAgo(10);
    await db.job.createMany({
      data: [
        newJob({ orgId: org, userId: user, status: "running", createdAt: minutesAgo(20) }),
        newJob({
          orgId: org,
          userId: user,
          status: "completed",
          createdAt: minutesAgo(30),
          completedAt: minutesAgo(2),
        }),
        newJob({
          orgId: org,
          userId: user,
          status: "completed",
          createdAt: minutesAgo(30),
          completedAt: minutesAgo(9),
        }),
        newJob({
          orgId: org,
          userId: user,
          status: "cancelled",
          createdAt: minutesAgo(40),
          cancelledAt: minutesAgo(1),
        }),
        newJob({ orgId: org, userId: user, status: "queued", createdAt: minutesAgo(90) }),
        // Same created_at: the id breaks the tie.
        newJob({ orgId: org, userId: user, status: "queued", createdAt }),
        newJob({ orgId: org, userId: user, status: "pending", createdAt }),
        newJob({ orgId: org, userId: randomUUID(), status: "delayed", createdAt: minutesAgo(5) }),
        newJob({ orgId: randomUUID(), status: "queued", createdAt: minutesAgo(5) }),
      ],
    });
    const now = new Date();
    const window = { recentMinutes: 5, hours: 1, limit: 200, now };
    // The rule written out over every row of this database (the other test's job included).
    const recent = now.getTime() - 5 * 60_000;
    const isActive = (j: Job) =>
      j.createdAt.getTime() >= now.getTime() - 3_600_000 &&
      (!isFinalStatus(j.status) ||
        (j.status === "cancelled"
          ? (j.cancelledAt?.getTime() ?? 0) >= recent
          : (j.completedAt?.getTime() ?? 0) >= recent));
    const newestFirst = (a: Job, b: Job) =>
      b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
    const rows = await db.job.findMany();
    const scopes: JobScope[] = [
      { orgId: org, userId: user },
      { orgId: org, userId: null },
      { orgId: null, userId: null },
    ];
    const sizes: number[] = [];
    for (const scope of scopes) {
      const expected = rows
        .filter(
          (j) =>
            (scope.orgId === null || j.orgId === scope.orgId) && (scope.userId === null || j.userId === scope.userId),
        )
        .filter(isActive)
        .sort(newestFirst)
        .map((j) => j.id);
      const actual = (await listActiveJobs(pool, scope, window)).map((j) => j.id);
      expect(actual, JSON.stringify(scope)).toEqual(expected);
      sizes.push(actual.length);
    }
    // One user's running, queued, pending, recently completed and cancelled; the org adds a delayed
    // job, everyone adds another org's (and possibly the other test's).
    expect(sizes[0]).toBe(5);
    expect(sizes[1]).toBe(6);
    expect(sizes[2]).toBeGreaterThanOrEqual(7);
    expect((await listActiveJobs(pool, { orgId: org, userId: user }, { ...window, limit: 2 })).length).toBe(2);
  });
});
