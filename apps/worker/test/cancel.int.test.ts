import { describe, expect } from "vitest";
import { DELAYED_JOB_WITH_OPTIONS, waitFor } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";
import { openQueue } from "./bull-queue";

/** Two `work` processes logging at debug, so a test can tell which one holds a job. */
const it = systemTest(async (sys) => {
  await sys.startApi();
  await sys.startWorker("mirror,housekeep");
  return sys.startWorkers(2, "work", { LOG_LEVEL: "debug" });
});

/**
 * Long enough that the cancel lands mid-run however slow the machine or the mirror is (the retry
 * runs as long, which is the price of a handler that cannot be held and released).
 */
const LONG_JOB = { type: "synthetic", input: { durationMs: 15_000, items: 10, steps: ["one", "two"] } };

describe("cancel and retry", () => {
  it("aborts a running job on whichever worker process holds it, then retries it to completion", async ({
    sys,
    member,
    started: workers,
  }) => {
    const job = await sys.enqueue(member, LONG_JOB);
    const holder = await waitFor("a worker to start the job", () =>
      workers.find((w) => w.output().includes(`"jobId":"${job.id}"`)),
    );
    await sys.waitForStatus(member, job.id, "running");

    const res = await sys.request<{ job: { status: string } }>("POST", `/v1/jobs/${job.id}/cancel`, { token: member });
    expect(res.status).toBe(202);
    const cancelled = await sys.waitForStatus(member, job.id, "cancelled");
    const reported = cancelled.items.processed;
    expect(reported).toBeLessThan(10); // stopped before reporting all its items
    await waitFor("the handler to abort", () => holder.output().includes('"outcome":"cancelled"'));

    const again = await sys.request("POST", `/v1/jobs/${job.id}/cancel`, { token: member });
    expect(again.status).toBe(409);

    const retry = await sys.request<{ job: { status: string } }>("POST", `/v1/jobs/${job.id}/retry`, { token: member });
    expect(retry.status).toBe(202);
    // A free worker may take the reopened job before the answer is read back.
    expect(["queued", "running"]).toContain(retry.body.job.status);
    const done = await sys.waitForStatus(member, job.id, "completed", 60_000);
    expect(done.attempts).toBe(2);
    expect(done.items).toEqual({ total: 10, processed: 10, failed: 0, skipped: 0 });
    const timeline = await sys.query<{ type: string }>(
      `SELECT type::text FROM job_events WHERE job_id = $1 AND type <> 'step' ORDER BY created_at, id`,
      [job.id],
    );
    expect(timeline.map((e) => e.type)).toEqual([
      "created",
      "queued",
      "started",
      "cancelled",
      "retried",
      "started",
      "completed",
    ]);
  });

  it("removes a delayed job at once", async ({ sys, member }) => {
    const job = await sys.enqueue(member, { type: "synthetic", subtype: "noop", input: {}, delayMs: 60_000 });
    const res = await sys.request<{ job: { status: string; cancelledAt: string | null } }>(
      "POST",
      `/v1/jobs/${job.id}/cancel`,
      { token: member },
    );
    expect(res.status).toBe(200);
    expect(res.body.job.status).toBe("cancelled");
    expect(res.body.job.cancelledAt).not.toBeNull();
  });

  it("lets only the owner act: another member gets 404", async ({ sys, member }) => {
    const job = await sys.enqueue(member, { type: "synthetic", subtype: "noop", input: {}, delayMs: 60_000 });
    const stranger = await sys.token({ role: "member" });
    expect((await sys.request("POST", `/v1/jobs/${job.id}/cancel`, { token: stranger })).status).toBe(404);
    expect((await sys.request("POST", `/v1/jobs/${job.id}/retry`, { token: stranger })).status).toBe(404);
    expect((await sys.request("POST", `/v1/jobs/${job.id}/retry`, { token: member })).status).toBe(409);
  });

  it("retries a cancelled job into the same BullMQ job it was first queued as, schedule included", async ({
    sys,
    member,
  }) => {
    const job = await sys.enqueue(member, DELAYED_JOB_WITH_OPTIONS);
    const { queue, close } = openQueue(sys, "synthetic");
    try {
      const first = await queue.getJob(job.id);
      if (!first) throw new Error("job not in BullMQ");
      expect((await sys.request("POST", `/v1/jobs/${job.id}/cancel`, { token: member })).status).toBe(200);
      const retried = await sys.request<{ job: { status: string } }>("POST", `/v1/jobs/${job.id}/retry`, {
        token: member,
      });
      expect(retried.status).toBe(202);
      expect(retried.body.job.status).toBe("delayed");
      const again = await queue.getJob(job.id);
      if (!again) throw new Error("retried job not in BullMQ");
      expect(await again.getState()).toBe("delayed");
      expect(again.data).toEqual(first.data);
      // Fair share gives the retried job its org's next turn, so only the priority may differ.
      const { delay: firstDelay, priority: firstPriority, ...firstOpts } = first.opts;
      const { delay: againDelay, priority: againPriority, ...againOpts } = again.opts;
      expect(againOpts).toEqual(firstOpts);
      expect(firstPriority).toBeGreaterThanOrEqual(1);
      expect(againPriority).toBeGreaterThanOrEqual(1);
      expect(againOpts).toMatchObject({ attempts: 2, backoff: { type: "exponential", delay: 70 } });
      // Both wait for the same runAt: the retry's delay is what is left of the first one.
      expect(againDelay).toBeGreaterThan(0);
      expect(againDelay).toBeLessThanOrEqual(firstDelay ?? 0);
    } finally {
      await close();
    }
  });
});
