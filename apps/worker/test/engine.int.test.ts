import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { describe, expect } from "vitest";
import { waitFor } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";

const it = systemTest(async (sys) => {
  await sys.startApi();
  await sys.startWorker("work,mirror,housekeep");
});

describe("engine: enqueue → execute → mirror", () => {
  it("runs synthetic/work with 50 items (3 failing) and 3 steps to completion", async ({ sys, member }) => {
    const enqueued = await sys.enqueue(member, {
      type: "synthetic",
      subtype: "work",
      input: {
        durationMs: 600,
        items: 50,
        failItems: [3, 17, 41],
        steps: ["fetch", "transform", "load"],
        output: { hello: "world" },
      },
    });
    expect(["queued", "pending", "running"]).toContain(enqueued.status);
    const job = await sys.waitForStatus(member, enqueued.id, "completed");
    expect(job.progress.percent).toBe(100);
    expect(job.attempts).toBe(1);
    expect(job.output).toEqual({ echo: { hello: "world" }, items: 50 });
    expect(job.items).toEqual({ total: 50, processed: 50, failed: 3, skipped: 0 });
    const items = await sys.query<{ status: string; n: number }>(
      `SELECT status::text, count(*)::int AS n FROM job_items WHERE job_id = $1 GROUP BY status ORDER BY status`,
      [job.id],
    );
    expect(items).toEqual([
      { status: "error", n: 3 },
      { status: "success", n: 47 },
    ]);
    const failedRefs = await sys.query<{ ref: string; error_code: string }>(
      `SELECT ref, error_code FROM job_items WHERE job_id = $1 AND status = 'error' ORDER BY ref`,
      [job.id],
    );
    expect(failedRefs.map((r) => r.ref)).toEqual(["item-17", "item-3", "item-41"]);
    const events = await sys.query<{ type: string; data: { step?: string } }>(
      `SELECT type::text, data FROM job_events WHERE job_id = $1 ORDER BY created_at, seq NULLS FIRST, id`,
      [job.id],
    );
    expect(events.map((e) => (e.type === "step" ? `step:${e.data.step ?? ""}` : e.type))).toEqual([
      "created",
      "queued",
      "started",
      "step:fetch",
      "step:transform",
      "step:load",
      "completed",
    ]);
  });

  it("retries a failing job and counts attempts; gives up after the last one", async ({ sys, member }) => {
    const retried = await sys.enqueue(member, {
      type: "synthetic",
      input: { failAttempts: 2, items: 5 },
      maxAttempts: 3,
      backoff: { type: "fixed", delayMs: 50 },
    });
    const failing = await sys.enqueue(member, {
      type: "synthetic",
      input: { failAttempts: 5, items: 4, steps: ["fetch", "save"] },
      maxAttempts: 3,
      backoff: { type: "fixed", delayMs: 50 },
    });
    const done = await sys.waitForStatus(member, retried.id, "completed");
    expect(done.attempts).toBe(3);
    expect(done.error).toBeNull();
    expect(done.items).toEqual({ total: 5, processed: 5, failed: 0, skipped: 0 });
    const retries = await sys.query<{ type: string; data: { code: string; attempt: number } }>(
      `SELECT type::text, data FROM job_events WHERE job_id = $1 AND type = 'retrying' ORDER BY seq`,
      [retried.id],
    );
    expect(retries.map((r) => [r.data.code, r.data.attempt])).toEqual([
      ["synthetic_failure", 1],
      ["synthetic_failure", 2],
    ]);
    expect((await sys.query(`SELECT 1 FROM job_items WHERE job_id = $1`, [retried.id])).length).toBe(5);

    const failed = await sys.waitForStatus(member, failing.id, "failed");
    expect(failed.attempts).toBe(3);
    expect(failed.error).toEqual({ code: "synthetic_failure", message: "attempt 3 fails on purpose" });
    // Its progress stays where the last attempt stopped (half-way, in the first step), not 100 %.
    expect(failed.progress).toEqual({ percent: 50, message: null, step: "fetch" });
    expect(failed.items).toEqual({ total: 4, processed: 2, failed: 0, skipped: 0 });
    const [row] = await sys.query<{ error_stack: string | null }>(`SELECT error_stack FROM jobs WHERE id = $1`, [
      failing.id,
    ]);
    expect(row?.error_stack).toMatch(/JobError: attempt 3 fails on purpose\n\s+at /);
    // The stack is shown to operators only.
    const admin = await sys.token({ role: "service" });
    const asAdmin = await sys.request<{ error: { stack?: string } }>("GET", `/v1/jobs/${failing.id}`, { token: admin });
    expect(asAdmin.body.error.stack).toBe(row?.error_stack);
    expect(JSON.stringify(failed)).not.toContain("JobError");
  });

  it("returns the existing job for a repeated idempotency key", async ({ sys, member }) => {
    const body = { type: "synthetic", subtype: "noop", input: {}, idempotencyKey: `k-${randomUUID()}` };
    const first = await sys.request<{ job: { id: string }; accessToken: string | null }>("POST", "/v1/jobs", {
      token: member,
      body,
    });
    const again = await sys.request<{ job: { id: string }; accessToken: string | null }>("POST", "/v1/jobs", {
      token: member,
      body,
    });
    expect(first.status).toBe(202);
    expect(again.status).toBe(200);
    expect(again.body.job.id).toBe(first.body.job.id);
    expect(again.body.accessToken).toBeNull();
  });

  it("enqueues a batch all-or-nothing", async ({ sys, member }) => {
    const bad = await sys.request<{ error: { code: string; details: { path: string }[] } }>("POST", "/v1/jobs/batch", {
      token: member,
      body: {
        jobs: [
          { type: "synthetic", input: {} },
          { type: "synthetic", input: { items: -1 } },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d) => d.path)).toEqual(["jobs.1.input.items"]);
    const ok = await sys.request<{ jobs: { job: { id: string } }[] }>("POST", "/v1/jobs/batch", {
      token: member,
      body: {
        jobs: Array.from({ length: 20 }, (_, i) => ({ type: "synthetic", subtype: "noop", input: { items: i % 3 } })),
      },
    });
    expect(ok.status).toBe(202);
    expect(ok.body.jobs).toHaveLength(20);
    for (const { job } of ok.body.jobs) await sys.waitForStatus(member, job.id, "completed");
  });

  it("runs a delayed job no earlier than asked", async ({ sys, member }) => {
    const job = await sys.enqueue(member, { type: "synthetic", subtype: "noop", input: {}, delayMs: 1500 });
    expect(job.status).toBe("delayed");
    const done = await sys.waitForStatus(member, job.id, "completed");
    const [row] = await sys.query<{ late: boolean }>(
      `SELECT started_at >= created_at + interval '1400 ms' AS late FROM jobs WHERE id = $1`,
      [done.id],
    );
    expect(row?.late).toBe(true);
  });

  it("imports a CSV with an item per row", async ({ sys, member }) => {
    const csv = "sku,price,active\nA-1,19.90,true\nA-2,abc,false\nA-1,3,true\n,4,no\nA-5,5,yes\n";
    const job = await sys.enqueue(member, {
      type: "import",
      subtype: "csv",
      input: {
        csv,
        keyColumn: "sku",
        columns: [
          { name: "sku", type: "string" },
          { name: "price", type: "number" },
          { name: "active", type: "boolean" },
        ],
      },
    });
    const done = await sys.waitForStatus(member, job.id, "completed");
    expect(done.output).toEqual({ rows: 5, imported: 2, failed: 3 });
    const items = await sys.query<{ ref: string; status: string; error_code: string | null; after_state: unknown }>(
      `SELECT ref, status::text, error_code, after_state FROM job_items WHERE job_id = $1 ORDER BY ref`,
      [job.id],
    );
    expect(items).toEqual([
      { ref: "row-2", status: "success", error_code: null, after_state: { sku: "A-1", price: 19.9, active: true } },
      { ref: "row-3", status: "error", error_code: "invalid_number", after_state: null },
      { ref: "row-4", status: "error", error_code: "duplicate_key", after_state: null },
      { ref: "row-5", status: "error", error_code: "missing_value", after_state: null },
      { ref: "row-6", status: "success", error_code: null, after_state: { sku: "A-5", price: 5, active: true } },
    ]);
  });

  it("fails an attempt that runs past its timeout with code timeout", async ({ sys, member }) => {
    const job = await sys.enqueue(member, {
      type: "synthetic",
      input: { durationMs: 5000 },
      timeoutMs: 300,
      maxAttempts: 1,
    });
    const failed = await sys.waitForStatus(member, job.id, "failed");
    expect(failed.error).toEqual({ code: "timeout", message: "attempt timed out" });
    expect(failed.attempts).toBe(1);
  });

  it("fails a job whose queued data no longer parses at once, without retries", async ({ sys, member }) => {
    const job = await sys.enqueue(member, { type: "synthetic", input: {}, delayMs: 60_000, maxAttempts: 5 });
    const queue = new Queue("synthetic", { connection: { url: sys.redisUrl }, prefix: sys.prefix });
    try {
      const queued = await queue.getJob(job.id);
      if (!queued) throw new Error("job not in BullMQ");
      // What an incompatible deploy or a hand-edited job would leave behind.
      await queued.updateData({ type: "synthetic", subtype: "work", input: { items: "many" } });
      await queued.promote();
    } finally {
      await queue.close();
    }
    const failed = await sys.waitForStatus(member, job.id, "failed");
    expect(failed.error?.code).toBe("invalid_input");
    expect(failed.error?.message).toContain("items");
    expect(failed.attempts).toBe(1);
  });

  it("sweeps expired finished jobs with maintenance/cleanup, and nothing else", async ({ sys }) => {
    // The housekeeper enqueues a sweep when it starts; let that one finish first.
    await waitFor("the start-up sweep", async () => {
      const rows = await sys.query(`SELECT 1 FROM jobs WHERE type = 'maintenance' AND status = 'completed'`);
      return rows.length > 0 ? true : undefined;
    });
    const org = randomUUID();
    const seed = async (status: string, expiresIn: string, age = "0 days") => {
      const [row] = await sys.query<{ id: string }>(
        `INSERT INTO jobs (id, org_id, type, subtype, name, queue, status, max_attempts, input, expires_at, created_at)
         VALUES (gen_random_uuid(), $1, 'synthetic', 'work', 'old', 'synthetic', $2::job_status, 1, '{}',
                 now() + $3::interval, now() - $4::interval)
         RETURNING id::text`,
        [org, status, expiresIn, age],
      );
      return row?.id ?? "";
    };
    // A job of 400 days ago with a timeline: its day's partition goes whole once the job is swept.
    const expired = await seed("completed", "-1 hour", "400 days");
    await sys.query(
      `INSERT INTO job_events (job_id, type, job_created_at) SELECT id, 'created', created_at FROM jobs WHERE id = $1`,
      [expired],
    );
    const expiredFailed = await seed("failed", "-1 minute");
    const fresh = await seed("completed", "1 hour");
    const unfinished = await seed("running", "-1 hour");
    const service = await sys.token({ role: "service" });
    const sweep = await sys.enqueue(service, { type: "maintenance", subtype: "cleanup", input: { batchSize: 1 } });
    const done = await sys.waitForStatus(service, sweep.id, "completed");
    expect(done.output).toMatchObject({ deleted: 2, dryRun: false });
    // The time-series rollups are swept too (nothing of theirs is old enough here).
    const [rollups] = await sys.query<{ after_state: unknown }>(
      `SELECT after_state FROM job_items WHERE job_id = $1 AND ref = 'rollups'`,
      [sweep.id],
    );
    expect(rollups?.after_state).toEqual({ deleted: 0 });
    const [partitions] = await sys.query<{ after_state: { deleted: number } }>(
      `SELECT after_state FROM job_items WHERE job_id = $1 AND ref = 'event-partitions'`,
      [sweep.id],
    );
    expect(partitions?.after_state.deleted).toBeGreaterThanOrEqual(1);
    expect(await sys.query(`SELECT 1 FROM job_events WHERE job_id = $1`, [expired])).toEqual([]);
    const left = await sys.query<{ id: string }>(`SELECT id::text FROM jobs WHERE id = ANY($1::uuid[])`, [
      [expired, expiredFailed, fresh, unfinished],
    ]);
    expect(left.map((r) => r.id).sort()).toEqual([fresh, unfinished].sort());
  });
});
