import { randomBytes } from "node:crypto";
import { describe, expect } from "vitest";
import { waitFor } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";
import { openQueue } from "./bull-queue";

/** `started` is the worker's metrics URL. */
const it = systemTest(async (sys) => {
  await sys.startApi();
  // The housekeeper starts later, in the drift test, so a pending row can be seen waiting.
  const worker = await sys.startWorker("work,mirror");
  const started = await worker.waitForLog("worker started");
  return `http://127.0.0.1:${String(started.healthPort)}/metrics`;
});

/** The value of one series in Prometheus text format (0 when absent). */
function value(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe("Prometheus metrics", () => {
  it("move when jobs run, on the worker and on the API", async ({ sys, member, started: workerMetricsUrl }) => {
    const before = await (await fetch(workerMetricsUrl)).text();
    const ok = await sys.enqueue(member, { type: "synthetic", input: { items: 3 } });
    const bad = await sys.enqueue(member, { type: "synthetic", input: { failAttempts: 1 }, maxAttempts: 1 });
    await sys.waitForStatus(member, ok.id, "completed");
    await sys.waitForStatus(member, bad.id, "failed");

    const after = await (await fetch(workerMetricsUrl)).text();
    const completed = 'jobstream_job_duration_seconds_count{type="synthetic",outcome="completed"}';
    const failed = 'jobstream_job_duration_seconds_count{type="synthetic",outcome="failed"}';
    expect(value(after, completed) - value(before, completed)).toBe(1);
    expect(value(after, failed) - value(before, failed)).toBe(1);
    expect(value(after, "jobstream_mirror_lag_seconds_count")).toBeGreaterThan(
      value(before, "jobstream_mirror_lag_seconds_count"),
    );
    expect(value(after, "jobstream_mirror_entries_total")).toBeGreaterThan(
      value(before, "jobstream_mirror_entries_total"),
    );
    expect(after).toContain("jobstream_reconciler_repairs_total");
    expect(after).toContain("process_resident_memory_bytes");

    const api = await (await fetch(`${sys.apiUrl}/metrics`)).text();
    expect(value(api, 'jobstream_queue_jobs{type="synthetic",state="completed"}')).toBeGreaterThanOrEqual(1);
    expect(value(api, 'jobstream_queue_jobs{type="synthetic",state="failed"}')).toBeGreaterThanOrEqual(1);
    expect(
      value(api, 'jobstream_http_request_duration_seconds_count{route="/v1/jobs",method="POST",status="202"}'),
    ).toBe(2);
    expect(api).toContain("jobstream_outbox_backlog 0");
  });

  it("show the outbox backlog, its dispatch and the reconciler's repairs when drift is repaired", async ({
    sys,
    member,
  }) => {
    // A delayed job whose row is set back to `pending`, as if the API had died between the
    // insert and the queue add: the outbox backlog counts it until a housekeeper dispatches it.
    const job = await sys.enqueue(member, { type: "synthetic", input: {}, delayMs: 600_000 });
    await sys.waitForStatus(member, job.id, "delayed");
    await sys.query(`UPDATE jobs SET status = 'pending', queued_at = NULL WHERE id = $1`, [job.id]);
    // The API refreshes the backlog in the background (at most every 5 s), not on every scrape.
    await waitFor("the backlog to show the pending row", async () =>
      value(await (await fetch(`${sys.apiUrl}/metrics`)).text(), "jobstream_outbox_backlog") === 1 ? true : undefined,
    );

    const housekeeper = await sys.startWorker("housekeep");
    const started = await housekeeper.waitForLog("worker started");
    const metricsUrl = `http://127.0.0.1:${String(started.healthPort)}/metrics`;
    await waitFor("the outbox to dispatch the pending row", async () =>
      value(await (await fetch(`${sys.apiUrl}/metrics`)).text(), "jobstream_outbox_backlog") === 0 ? true : undefined,
    );
    expect(value(await (await fetch(metricsUrl)).text(), "jobstream_outbox_dispatched_total")).toBe(1);

    // Its Redis state lost: the reconciler finds the row without a BullMQ job and queues it again.
    const { queue, close } = openQueue(sys, "synthetic");
    try {
      await queue.remove(job.id);
    } finally {
      await close();
    }
    const requeued = 'jobstream_reconciler_repairs_total{kind="requeued"}';
    await waitFor(
      "the reconciler to re-enqueue the job",
      async () => (value(await (await fetch(metricsUrl)).text(), requeued) >= 1 ? true : undefined),
      { timeoutMs: 30_000 },
    );
    const events = await sys.query<{ type: string }>(
      `SELECT type::text FROM job_events WHERE job_id = $1 ORDER BY id`,
      [job.id],
    );
    expect(events.map((e) => e.type)).toContain("requeued");
  });

  it("require the bearer METRICS_TOKEN when it is set, on the API and the worker", async ({ sys }) => {
    const token = randomBytes(24).toString("hex");
    const api = await sys.startExtraApi({ METRICS_TOKEN: token });
    const worker = await sys.startWorker("work", { METRICS_TOKEN: token });
    const started = await worker.waitForLog("worker started");
    for (const url of [`${api.url}/metrics`, `http://127.0.0.1:${String(started.healthPort)}/metrics`]) {
      expect((await fetch(url)).status, url).toBe(401);
      expect((await fetch(url, { headers: { authorization: `Bearer ${token.slice(1)}` } })).status, url).toBe(401);
      expect((await fetch(url, { headers: { authorization: `Basic ${token}` } })).status, url).toBe(401);
      const ok = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status, url).toBe(200);
      expect(await ok.text()).toContain("process_resident_memory_bytes");
    }
  });
});
