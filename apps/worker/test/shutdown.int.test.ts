import { describe, expect } from "vitest";
import { waitFor } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";

// Each test starts the worker it sends SIGTERM to.
const it = systemTest((sys) => sys.startApi());

describe("SIGTERM", () => {
  it("finishes short jobs, hands long ones back within the bound, flushes the mirror and exits 0", async ({
    sys,
    member,
  }) => {
    // A grace well above the short job and well below the long one, so neither outcome depends on speed.
    const worker = await sys.startWorker("work,mirror,housekeep", { SHUTDOWN_TIMEOUT_MS: "4000", LOG_LEVEL: "debug" });
    const short = await sys.enqueue(member, { type: "synthetic", input: { durationMs: 800, items: 4 } });
    const long = await sys.enqueue(member, { type: "synthetic", input: { durationMs: 8000, items: 4 } });
    await waitFor(
      "both jobs to start",
      () => worker.output().includes(`"jobId":"${short.id}"`) && worker.output().includes(`"jobId":"${long.id}"`),
    );
    worker.kill("SIGTERM");
    expect(await worker.exited(15_000)).toBe(0);

    // The short job finished during the grace period and its events reached Postgres before exit.
    const [shortRow] = await sys.query<{ status: string; processed_items: number }>(
      `SELECT status::text, processed_items FROM jobs WHERE id = $1`,
      [short.id],
    );
    expect(shortRow).toEqual({ status: "completed", processed_items: 4 });
    // The long one was handed back without spending an attempt.
    const [longRow] = await sys.query<{ status: string; attempts: number }>(
      `SELECT status::text, attempts FROM jobs WHERE id = $1`,
      [long.id],
    );
    expect(longRow?.status).toBe("queued");
    const requeued = await sys.query<{ data: { reason: string } }>(
      `SELECT data FROM job_events WHERE job_id = $1 AND type = 'requeued'`,
      [long.id],
    );
    expect(requeued.map((r) => r.data.reason)).toEqual(["shutdown"]);

    // Another worker takes it at once.
    await sys.startWorker("work,mirror,housekeep");
    const done = await sys.waitForStatus(member, long.id, "completed", 30_000);
    expect(done.attempts).toBe(1);
    expect(done.items.processed).toBe(4);
  });
});

describe("housekeeper leader election", () => {
  it("lets one housekeeper act and another take over when it dies", async ({ sys }) => {
    for (const w of sys.workers) {
      w.kill("SIGTERM");
      await w.exited();
    }
    const a = await sys.startWorker("housekeep", { HOUSEKEEP_INTERVAL_MS: "200" });
    const b = await sys.startWorker("housekeep", { HOUSEKEEP_INTERVAL_MS: "200" });
    const leads = (p: typeof a) => p.output().includes('"leader":true');
    await waitFor("a leader", () => leads(a) || leads(b));
    await new Promise((r) => setTimeout(r, 1000));
    expect([leads(a), leads(b)].filter(Boolean)).toHaveLength(1);
    const leader = leads(a) ? a : b;
    const standby = leader === a ? b : a;
    leader.kill("SIGKILL");
    await leader.exited();
    await waitFor("the stand-by to lead", () => leads(standby), { timeoutMs: 15_000 });
  });
});
