import { describe, expect } from "vitest";
import { deletePrefix, type System, waitFor } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";
import { openQueue } from "./bull-queue";

const it = systemTest(async (sys) => {
  await sys.startApi();
  await sys.startWorker("work,housekeep");
});

const noops = (sys: System, token: string, n: number, input: Record<string, unknown>, subtype = "noop") =>
  sys.enqueueMany(token, n, () => ({ type: "synthetic", subtype, input }));

async function summary(
  sys: System,
  ids: string[],
): Promise<{ completed: number; items_ok: number; rows: number } | undefined> {
  const [row] = await sys.query<{ completed: number; items_ok: number; rows: number }>(
    `SELECT count(*) FILTER (WHERE status = 'completed')::int AS completed,
            count(*) FILTER (WHERE processed_items = 2 AND total_items = 2)::int AS items_ok,
            (SELECT count(*)::int FROM job_items WHERE job_id = ANY($1::uuid[])) AS rows
     FROM jobs WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return row;
}

describe("recovery", () => {
  it("applies everything after the mirror was down while 2,000 jobs ran", async ({ sys, member }) => {
    const mirror = await sys.startWorker("mirror");
    mirror.kill("SIGKILL");
    await mirror.exited();
    const ids = await noops(sys, member, 2000, { items: 2 });
    // Every job finishes in BullMQ while nothing writes their rows.
    await waitFor("the jobs to run", async () => (await sys.countInStatus(ids, "completed")) === 0 || undefined, {
      timeoutMs: 5000,
    });
    const { queue, close } = openQueue(sys, "synthetic");
    try {
      await waitFor(
        "BullMQ to finish 2,000 jobs",
        async () => ((await queue.getJobCounts("completed")).completed ?? 0) >= 2000,
        { timeoutMs: 60_000 },
      );
    } finally {
      await close();
    }
    expect((await summary(sys, ids))?.completed).toBe(0);

    await sys.startWorker("mirror");
    await waitFor(
      "all rows completed",
      async () => ((await summary(sys, ids))?.completed === 2000 ? true : undefined),
      {
        timeoutMs: 60_000,
      },
    );
    expect(await summary(sys, ids)).toEqual({ completed: 2000, items_ok: 2000, rows: 4000 });
  });

  it("re-enqueues every unfinished job from Postgres when the queue's Redis keys are deleted mid-run", async ({
    sys,
    member,
  }) => {
    // A process killed by a signal has exitCode null too: only one that has not ended counts.
    const alive = (w: (typeof sys.workers)[number]) => w.child.exitCode === null && w.child.signalCode === null;
    const mirrors = sys.workers.filter((w) => alive(w) && w.output().includes('"roles":["mirror"]'));
    if (mirrors.length === 0) await sys.startWorker("mirror");
    const { queue, close } = openQueue(sys, "synthetic");
    try {
      // Running jobs: long enough to still be running when the keys go, however slow this machine is.
      const running = await noops(sys, member, 20, { durationMs: 10_000, items: 2 }, "work");
      await waitFor("BullMQ to run some of them", async () => ((await queue.getActiveCount()) > 0 ? true : undefined), {
        timeoutMs: 30_000,
      });
      // Waiting jobs, made so rather than hoped for: the paused queue hands none of them to the worker.
      await queue.pause();
      const waiting = await noops(sys, member, 30, { durationMs: 100, items: 2 }, "work");
      const states = await Promise.all(waiting.map(async (id) => (await queue.getJob(id))?.getState()));
      const started = (s: string | undefined) =>
        s === undefined || s === "active" || s === "completed" || s === "failed";
      expect(states.filter(started)).toEqual([]);
      expect(await queue.getActiveCount()).toBeGreaterThan(0);

      // Deleting the keys takes the pause with them: only the reconciler can bring the jobs back.
      const deleted = await deletePrefix(sys.prefix, sys.redisUrl);
      expect(deleted).toBeGreaterThan(0);
      const ids = [...running, ...waiting];
      const allCompleted = async () => ((await summary(sys, ids))?.completed === ids.length ? true : undefined);
      await waitFor("all rows completed", allCompleted, { timeoutMs: 90_000 });
      expect(await summary(sys, ids)).toEqual({ completed: 50, items_ok: 50, rows: 100 });
      // Every waiting job lost its Redis state before it ran: each came back through the reconciler.
      const requeued = await sys.query<{ job_id: string }>(
        `SELECT DISTINCT job_id::text FROM job_events WHERE job_id = ANY($1::uuid[]) AND type = 'requeued'`,
        [waiting],
      );
      expect(requeued.map((r) => r.job_id).sort()).toEqual([...waiting].sort());
    } finally {
      await close();
    }
  });
});
