import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { jobStatuses, type GroupActionAnswer, type GroupView, type JobView } from "@jobstream/contract";
import { openSse, waitFor, type System } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";

/** `started`: an admin's token in an org of its own. */
const it = systemTest(async (sys) => {
  await sys.startApi();
  // No housekeeper: webhook deliveries stay in the outbox, where the test counts them.
  await sys.startWorker("work,mirror");
  return sys.token({ org: randomUUID(), role: "admin" });
});

interface Refusal {
  error: { code: string; details?: { path: string }[] };
}
const refusal = (res: { status: number; body: unknown }) => [
  res.status,
  (res.body as Refusal).error.code,
  ((res.body as Refusal).error.details ?? []).map((d) => d.path),
];
const work = (input: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: "synthetic",
  subtype: "work",
  input,
  ...extra,
});
const group = async (sys: System, token: string, id: string) =>
  sys.request<{ group: GroupView }>("GET", `/v1/groups/${encodeURIComponent(id)}`, { token });
const waitForGroup = (sys: System, token: string, id: string, what: string, check: (g: GroupView) => boolean) =>
  waitFor(what, async () => {
    const res = await group(sys, token, id);
    return res.status === 200 && check(res.body.group) ? res.body.group : undefined;
  });
const zeros = Object.fromEntries(jobStatuses.map((status) => [status, 0])) as GroupView["counts"];

describe("bad input", () => {
  it("answers 400 naming the field, 404 for a group the caller has no job in", async ({ sys, started: admin }) => {
    const long = "g".repeat(201);
    for (const [method, path] of [
      ["GET", `/v1/groups/${long}`],
      ["GET", `/v1/groups/${long}/stream`],
      ["POST", `/v1/groups/${long}/cancel`],
      ["POST", `/v1/groups/${long}/retry`],
    ] as const)
      expect(refusal(await sys.request(method, path, { token: admin })), path).toEqual([
        400,
        "validation_failed",
        ["groupId"],
      ]);
    expect(refusal(await sys.request("GET", "/v1/groups/g?orgId=nope", { token: admin }))).toEqual([
      400,
      "validation_failed",
      ["orgId"],
    ]);
    expect((await sys.request("GET", "/v1/groups/g?limit=3", { token: admin })).status).toBe(400);
    expect(refusal(await sys.request("GET", `/v1/groups/${randomUUID()}`, { token: admin }))).toEqual([
      404,
      "not_found",
      [],
    ]);
    expect((await sys.request("POST", `/v1/groups/${randomUUID()}/cancel`, { token: admin })).status).toBe(404);
    expect((await sys.request("GET", `/v1/groups/${randomUUID()}/stream`, { token: admin })).status).toBe(404);
  });

  it("refuses a batch whose job names another group than the batch (nothing stored)", async ({ sys, started }) => {
    const id = randomUUID();
    const res = await sys.request("POST", "/v1/jobs/batch", {
      token: started,
      body: { groupId: id, jobs: [work({}), work({}, { groupId: "other" }), work({}, { groupId: id })] },
    });
    expect(refusal(res)).toEqual([400, "validation_failed", ["jobs.1.groupId"]]);
    expect((await group(sys, started, id)).status).toBe(404);
    const tooLong = await sys.request("POST", "/v1/jobs/batch", {
      token: started,
      body: { groupId: "g".repeat(201), jobs: [work({})] },
    });
    expect(refusal(tooLong)).toEqual([400, "validation_failed", ["groupId"]]);
  });
});

describe("GET /v1/groups/:groupId", () => {
  it("follows a job through its states, kept by the mirror", async ({ sys, started: admin }) => {
    const id = `import/${randomUUID()}`;
    const job = await sys.enqueue(admin, work({ durationMs: 2500, steps: ["a", "b", "c"] }, { groupId: id }));
    const running = await waitForGroup(sys, admin, id, "running", (g) => g.counts.running === 1);
    expect(running).toMatchObject({ id, total: 1, counts: { ...zeros, running: 1 }, finishedAt: null });
    const done = await waitForGroup(sys, admin, id, "completed", (g) => g.counts.completed === 1);
    expect(done).toEqual({
      id,
      total: 1,
      counts: { ...zeros, completed: 1 },
      progress: 100,
      createdAt: (job as unknown as JobView).createdAt,
      finishedAt: ((await sys.job(admin, job.id)) as unknown as JobView).completedAt,
    });
    // Nothing failed or cancelled: nothing to retry, nothing to cancel.
    for (const action of ["retry", "cancel"]) {
      const res = await sys.request<GroupActionAnswer>("POST", `/v1/groups/${encodeURIComponent(id)}/${action}`, {
        token: admin,
      });
      expect([res.status, res.body.done, res.body.stopping, res.body.group], action).toEqual([200, 0, 0, done]);
    }
  });

  it("counts a batch given one groupId; retrying the group reopens it until its jobs are final again", async ({
    sys,
    started: admin,
  }) => {
    const id = randomUUID();
    const res = await sys.request<{ jobs: { job: { id: string; groupId: string } }[] }>("POST", "/v1/jobs/batch", {
      token: admin,
      body: {
        groupId: id,
        // The third times out part way through its steps, on every attempt.
        jobs: [
          work({}),
          work({}),
          work({ durationMs: 3000, steps: ["a", "b", "c"] }, { timeoutMs: 1500, maxAttempts: 1 }),
        ],
      },
    });
    expect(res.status).toBe(202);
    expect(res.body.jobs.map((a) => a.job.groupId)).toEqual([id, id, id]);
    const finished = await waitForGroup(sys, admin, id, "finished", (g) => g.finishedAt !== null);
    const failedAt = (await sys.job(admin, res.body.jobs[2]?.job.id ?? "")).progress.percent;
    expect(failedAt).toBeLessThan(100);
    // The failed job counts where it stopped: the mean is (100 + 100 + failedAt) / 3.
    expect(finished).toMatchObject({
      total: 3,
      counts: { ...zeros, completed: 2, failed: 1 },
      progress: Math.round(((200 + failedAt) / 3) * 100) / 100,
    });

    const retried = await sys.request<GroupActionAnswer>("POST", `/v1/groups/${id}/retry`, { token: admin });
    expect([retried.status, retried.body.done, retried.body.group.finishedAt]).toEqual([202, 1, null]);
    const again = await waitForGroup(sys, admin, id, "finished again", (g) => g.finishedAt !== null);
    expect(again.counts).toEqual({ ...zeros, completed: 2, failed: 1 });
    expect((await sys.job(admin, res.body.jobs[2]?.job.id ?? "")).attempts).toBe(2);
  });

  it("cancels a group: waiting jobs at once, running ones through their worker", async ({ sys, started }) => {
    const id = randomUUID();
    const admin = started;
    const long = await sys.enqueue(admin, work({ durationMs: 30_000 }, { groupId: id }));
    await sys.waitForStatus(admin, long.id, "running");
    await sys.enqueue(admin, work({}, { groupId: id, delayMs: 3_600_000 }));
    await sys.enqueue(admin, work({}, { groupId: id, delayMs: 3_600_000 }));
    const res = await sys.request<GroupActionAnswer>("POST", `/v1/groups/${id}/cancel`, { token: admin });
    expect([res.status, res.body.done, res.body.stopping]).toEqual([202, 2, 1]);
    const cancelled = await waitForGroup(sys, admin, id, "cancelled", (g) => g.counts.cancelled === 3);
    // Cancelled jobs count as done for progress: nothing more will run.
    expect([cancelled.progress, cancelled.finishedAt !== null]).toEqual([100, true]);
    const again = await sys.request<GroupActionAnswer>("POST", `/v1/groups/${id}/cancel`, { token: admin });
    expect([again.status, again.body.done, again.body.stopping]).toEqual([200, 0, 0]);
  });
});

describe("GET /v1/groups/:groupId/stream", () => {
  it("sends the view, a new one per change, and ends when every job is final", async ({ sys, started }) => {
    const id = randomUUID();
    const a = await sys.enqueue(started, work({ durationMs: 1500, steps: ["x", "y"] }, { groupId: id }));
    await sys.enqueue(started, work({ durationMs: 300 }, { groupId: id }));
    const stream = await openSse(`${sys.apiUrl}/v1/groups/${id}/stream`, { authorization: `Bearer ${started}` });
    expect(stream.status).toBe(200);
    await waitFor("the stream to end", () => stream.ended());
    const views = stream.events.map((e) => e.data as GroupView);
    expect(stream.events.every((e) => e.event === "group")).toBe(true);
    expect(views.length).toBeGreaterThan(1);
    expect(views.at(-1)).toEqual((await group(sys, started, id)).body.group);
    expect(views.at(-1)?.counts.completed).toBe(2);
    // Each event is a new state, and finished groups end the stream: only the last one is finished.
    expect(views.slice(0, -1).every((v) => v.finishedAt === null)).toBe(true);
    expect(new Set(views.map((v) => JSON.stringify(v))).size).toBe(views.length);
    expect((await sys.job(started, a.id)).status).toBe("completed");
  });
});

describe("group.completed", () => {
  it("records one delivery per completion, with the group view; a retry makes a new completion", async ({ sys }) => {
    const admin = await sys.token({ org: randomUUID(), role: "admin" });
    const hook = await sys.request<{ webhook: { id: string } }>("POST", "/v1/webhooks", {
      token: admin,
      body: { url: "https://hooks.example.com/groups", events: ["group.completed", "job.failed"] },
    });
    expect(hook.status).toBe(201);
    const id = randomUUID();
    const jobs = Array.from({ length: 12 }, (_, i) =>
      i === 0 ? work({ failAttempts: 1 }, { maxAttempts: 1 }) : work({ durationMs: 50 }),
    );
    expect((await sys.request("POST", "/v1/jobs/batch", { token: admin, body: { groupId: id, jobs } })).status).toBe(
      202,
    );
    const finished = await waitForGroup(sys, admin, id, "finished", (g) => g.finishedAt !== null);
    const deliveries = () =>
      sys.query<{ job_id: string; payload: { type: string; data: GroupView } }>(
        `SELECT job_id::text, payload FROM webhook_deliveries WHERE webhook_id = $1 AND event = 'group.completed'
         ORDER BY created_at`,
        [hook.body.webhook.id],
      );
    const [first, ...more] = await deliveries();
    expect(more).toEqual([]);
    expect(first?.payload).toMatchObject({ type: "group.completed", data: finished });
    const listed = await sys.request<{ deliveries: { event: string; groupId: string | null }[] }>(
      "GET",
      `/v1/webhooks/${hook.body.webhook.id}/deliveries`,
      { token: admin },
    );
    expect(listed.body.deliveries.filter((d) => d.event === "group.completed").map((d) => d.groupId)).toEqual([id]);

    expect((await sys.request("POST", `/v1/groups/${id}/retry`, { token: admin })).status).toBe(202);
    await waitForGroup(sys, admin, id, "completed again", (g) => g.counts.completed === 12);
    const after = await deliveries();
    expect(after).toHaveLength(2);
    expect(after[1]?.payload.data).toMatchObject({ total: 12, counts: { ...zeros, completed: 12 }, progress: 100 });
  });
});
