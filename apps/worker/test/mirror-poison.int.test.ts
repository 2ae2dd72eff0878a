import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { MIRROR_GROUP } from "@jobstream/queue";
import type { JobSnapshot } from "@jobstream/db";
import { jobSnapshot } from "@jobstream/db/testing";
import { type System, waitFor } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";
import { openQueue } from "./bull-queue";
import { systemRedis, type SystemRedis } from "./system-redis";

/**
 * Malformed entries injected into a live event stream while jobs flow: each becomes a dead letter
 * exactly once, every good job lands correct, and the stream drains (acknowledged and trimmed).
 */
const it = systemTest(async (sys) => {
  // A refusal the decoder cannot foresee (a constraint it does not know): only Postgres says no,
  // so the batch holding it must be split. This test owns its database.
  await sys.query(`ALTER TABLE job_events ADD CONSTRAINT test_refuses_poison CHECK (NOT (data ? 'poison'))`);
  await sys.startApi({ RATE_LIMIT_PER_MINUTE: "100000" });
  const worker = await sys.startWorker("work,mirror");
  const started = await worker.waitForLog("worker started");
  return { worker, metricsUrl: `http://127.0.0.1:${String(started.healthPort)}/metrics` };
}).extend("redis", { scope: "file" }, systemRedis);

const enqueueBatch = (sys: System, token: string, n: number) =>
  sys.enqueueMany(token, n, () => ({
    type: "synthetic",
    subtype: "work",
    input: { items: 3, failItems: [1], durationMs: 5 },
  }));

/** A row the API would have stored, waiting in `queued`, that no worker runs (it is not in Redis). */
async function parkedRow(sys: System): Promise<string> {
  const [row] = await sys.query<{ id: string }>(
    `INSERT INTO jobs (id, org_id, type, subtype, name, queue, status, max_attempts, input)
     VALUES (gen_random_uuid(), gen_random_uuid(), 'synthetic', 'work', 'parked', 'synthetic', 'queued', 1, '{}')
     RETURNING id::text`,
  );
  if (!row) throw new Error("insert");
  return row.id;
}

const snapshot = (over: Partial<JobSnapshot> = {}) =>
  jobSnapshot({
    status: "completed",
    progress: 100,
    output: { ok: true },
    startedAt: Date.now() - 10,
    finishedAt: Date.now(),
    durationMs: 10,
    ...over,
  });
const payload = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    snapshot: snapshot(),
    items: [],
    timeline: [{ type: "completed", data: {}, at: Date.now() }],
    ...over,
  });

async function inject(redis: SystemRedis, jobId: string, seq: string, data: string): Promise<string> {
  const id = await redis.client.xadd(redis.keys.events("synthetic", 0), "*", "j", jobId, "s", seq, "d", data);
  if (id === null) throw new Error("xadd");
  return id;
}

describe("a mirror fed malformed entries", () => {
  it("dead-letters each bad entry once, applies everything else, and drains the stream", async ({
    sys,
    member,
    redis,
    started,
  }) => {
    const { worker, metricsUrl } = started;
    const stream = redis.keys.events("synthetic", 0);
    const nulRow = await parkedRow(sys);
    const unknownTypeRow = await parkedRow(sys);
    const refusedRow = await parkedRow(sys);
    const gapRow = await parkedRow(sys);

    const good: string[] = [];
    const bad = new Map<string, string>();
    good.push(...(await enqueueBatch(sys, member, 300)));
    bad.set(await inject(redis, randomUUID(), "1", "{not json"), "payload is not JSON");
    bad.set(await inject(redis, "5", "1", payload()), "not a uuid");
    good.push(...(await enqueueBatch(sys, member, 300)));
    bad.set(await inject(redis, nulRow, "1", payload({ snapshot: snapshot({ output: { text: "a\u0000b" } }) })), "NUL");
    bad.set(
      await inject(redis, unknownTypeRow, "1", payload({ timeline: [{ type: "exploded", data: {}, at: Date.now() }] })),
      "timeline.0.type",
    );
    bad.set(await inject(redis, randomUUID(), "1", payload()), "no job row");
    bad.set(
      await inject(
        redis,
        refusedRow,
        "1",
        payload({ timeline: [{ type: "completed", data: { poison: true }, at: Date.now() }] }),
      ),
      "test_refuses_poison",
    );
    // A gap (sequence 50 for a job at 0) is not poison: snapshots carry the whole state.
    const gapId = await inject(
      redis,
      gapRow,
      "50",
      payload({ timeline: [{ type: "completed", data: {}, at: Date.now() }] }),
    );
    good.push(...(await enqueueBatch(sys, member, 300)));

    // A BullMQ job added behind the API's back (bull-board, no id given): BullMQ numbers it.
    const { queue, close } = openQueue(sys, "synthetic");
    const stray = await queue.add("stray", { type: "synthetic", subtype: "work", input: {} });
    expect(stray.id).toMatch(/^\d+$/);

    await waitFor(
      "every good job completed",
      async () => (await sys.countInStatus(good, "completed")) === good.length || undefined,
      { timeoutMs: 90_000 },
    );

    const [counts] = await sys.query<{ ok: number; items: number }>(
      `SELECT count(*) FILTER (WHERE status = 'completed' AND total_items = 3 AND processed_items = 3
                                AND failed_items = 1 AND attempts = 1)::int AS ok,
              (SELECT count(*)::int FROM job_items WHERE job_id = ANY($1::uuid[])) AS items
       FROM jobs WHERE id = ANY($1::uuid[])`,
      [good],
    );
    expect(counts).toEqual({ ok: good.length, items: 3 * good.length });

    // The stream drains: nothing pending in the group, every entry acknowledged and deleted.
    await waitFor(
      "the stream to drain",
      async () => {
        const pending = (await redis.client.xpending(stream, MIRROR_GROUP)) as [number, ...unknown[]];
        return pending[0] === 0 && (await redis.client.xlen(stream)) === 0 ? true : undefined;
      },
      { timeoutMs: 30_000 },
    );

    const letters = await sys.query<{
      stream_id: string;
      queue: string;
      error: string;
      raw: string;
      job_id: string | null;
    }>(`SELECT stream_id, queue, error, raw, job_id FROM mirror_dead_letters ORDER BY id`);
    expect(letters.map((l) => l.stream_id).sort()).toEqual([...bad.keys()].sort());
    for (const letter of letters) {
      expect(letter.queue).toBe("synthetic");
      expect(letter.error).toContain(bad.get(letter.stream_id));
      expect(JSON.parse(letter.raw)).toHaveProperty("j");
    }
    expect(letters.find((l) => l.error.includes("NUL"))?.raw).toContain("a\\\\u0000b");

    const parked = await sys.query<{ id: string; status: string; last_event_seq: string }>(
      `SELECT id::text, status, last_event_seq::text FROM jobs WHERE id = ANY($1::uuid[])`,
      [[nulRow, unknownTypeRow, refusedRow, gapRow]],
    );
    const byId = new Map(parked.map((p) => [p.id, p]));
    for (const id of [nulRow, unknownTypeRow, refusedRow]) expect(byId.get(id)?.status).toBe("queued");
    expect(byId.get(gapRow)).toMatchObject({ status: "completed", last_event_seq: "50" });
    expect(letters.some((l) => l.stream_id === gapId)).toBe(false);

    // The stray BullMQ job is failed without running, and the worker lives on.
    await waitFor(
      "the stray job to fail",
      async () => ((await queue.getJobState(stray.id ?? "")) === "failed" ? true : undefined),
      { timeoutMs: 30_000 },
    );
    expect((await queue.getJob(stray.id ?? ""))?.failedReason).toBe("not_a_jobstream_job");
    await close();
    expect(worker.child.exitCode).toBeNull();

    // Each dead letter was logged once (a re-read batch would not log it again).
    const logged = worker
      .output()
      .split("\n")
      .filter((line) => line.includes("mirror entry set aside as a dead letter"));
    expect(logged).toHaveLength(bad.size);
    // No bad entry held a batch up: none failed as a whole and was retried.
    expect(worker.output()).not.toContain("mirror batch failed; retrying");

    // And counted in the worker's metrics.
    const metrics = await (await fetch(metricsUrl)).text();
    expect(metrics).toContain(`jobstream_mirror_dead_letters_total{queue="synthetic"} ${String(bad.size)}`);
  }, 180_000);
});

describe("retention seen through the API", () => {
  it("shows expiresAt null until the job finished, then finish + the job's own retention", async ({ sys, member }) => {
    const enqueued = await sys.request<{ job: { id: string; expiresAt: string | null } }>("POST", "/v1/jobs", {
      token: member,
      body: { type: "synthetic", subtype: "work", input: { durationMs: 5 }, delayMs: 1000, expiresInSeconds: 3600 },
    });
    expect(enqueued.status).toBe(202);
    expect(enqueued.body.job.expiresAt).toBeNull();
    const id = enqueued.body.job.id;
    expect(
      (await sys.request<{ expiresAt: string | null }>("GET", `/v1/jobs/${id}`, { token: member })).body.expiresAt,
    ).toBeNull();
    await sys.waitForStatus(member, id, "completed");
    const view = (
      await sys.request<{ completedAt: string; expiresAt: string }>("GET", `/v1/jobs/${id}`, { token: member })
    ).body;
    expect(Date.parse(view.expiresAt) - Date.parse(view.completedAt)).toBe(3_600_000);
  }, 60_000);
});
