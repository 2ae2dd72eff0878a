import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import type { ScheduleView as Schedule } from "@jobstream/contract";
import { systemTest } from "@jobstream/testing/fixtures";

// No worker: nothing takes ticks, so what the API wrote to Postgres and Redis stays as written.
const base = systemTest((sys) => sys.startApi());

interface Refusal {
  error: { code: string; details?: { path: string }[] };
}

const job = { type: "synthetic", subtype: "noop", input: {} };
/** `post`: a schedule created as the file's member. */
const it = base.extend(
  "post",
  ({ sys, member }) =>
    (body: unknown) =>
      sys.request<{ schedule: Schedule } & Refusal>("POST", "/v1/schedules", { token: member, body }),
);

describe("POST /v1/schedules", () => {
  it("creates a cron schedule in a zone and answers when it fires next", async ({ sys, member, post }) => {
    const res = await post({ name: "nightly", cron: "30 2 * * *", timezone: "Europe/Berlin", job });
    expect(res.status).toBe(201);
    const s = res.body.schedule;
    expect(s).toMatchObject({
      name: "nightly",
      cron: "30 2 * * *",
      everyMs: null,
      timezone: "Europe/Berlin",
      paused: false,
    });
    expect(s.job).toEqual({ type: "synthetic", subtype: "noop", name: "synthetic/noop", input: {} });
    expect([s.lastRunAt, s.lastJobId]).toEqual([null, null]);
    // 02:30 in Berlin is 00:30 or 01:30 UTC (summer or winter time), within the next day.
    const next = new Date(s.nextRunAt ?? "");
    expect(next.getUTCMinutes()).toBe(30);
    expect([0, 1]).toContain(next.getUTCHours());
    expect(next.getTime() - Date.now()).toBeLessThanOrEqual(86_400_000);
    const read = await sys.request<{ schedule: Schedule }>("GET", `/v1/schedules/${s.id}`, { token: member });
    expect(read.body.schedule).toEqual(s);
  });

  it.for<[string, Record<string, unknown>, string[]]>([
    ["a bad cron pattern", { cron: "61 * * * *" }, ["cron"]],
    ["an unknown time zone", { cron: "0 * * * *", timezone: "Mars/Base" }, ["timezone"]],
    ["both cron and everyMs", { cron: "0 * * * *", everyMs: 60_000 }, ["everyMs"]],
    ["neither cron nor everyMs", {}, ["cron"]],
    ["an interval under a second", { everyMs: 10 }, ["everyMs"]],
    [
      "an end before the start",
      { everyMs: 60_000, startAt: "2030-01-02T00:00:00Z", endAt: "2030-01-01T00:00:00Z" },
      ["endAt"],
    ],
    ["an unknown field", { everyMs: 60_000, every: 5 }, [""]],
    ["text Postgres cannot store", { everyMs: 60_000, name: "a\u0000b" }, ["name"]],
    ["an interval past a Postgres integer", { everyMs: 1e12 }, ["everyMs"]],
    ["no job", { everyMs: 60_000, job: undefined }, ["job"]],
    ["a job of no type", { everyMs: 60_000, job: { type: "nope", input: {} } }, ["job.type"]],
    [
      "a job whose input its type refuses",
      { everyMs: 60_000, job: { type: "synthetic", input: { items: -1 } } },
      ["job.input.items"],
    ],
    ["a run time in the job", { everyMs: 60_000, job: { ...job, runAt: "2030-01-01T00:00:00Z" } }, ["job.runAt"]],
    [
      "an idempotency key in the job",
      { everyMs: 60_000, job: { ...job, idempotencyKey: "k" } },
      ["job.idempotencyKey"],
    ],
    ["sub-jobs in the job", { everyMs: 60_000, job: { ...job, children: [job] } }, ["job.children"]],
    ["a bad pattern and a bad job together", { cron: "nope", job: { type: "nope", input: {} } }, ["cron", "job.type"]],
  ])("refuses %s with 400 naming the field", async ([, fields, paths], { post }) => {
    const res = await post({ name: "bad", job, ...fields });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    expect((res.body.error.details ?? []).map((d) => d.path)).toEqual(paths);
  });
});

describe("PATCH, DELETE and lists", () => {
  it("pauses (no next run), resumes, and swaps an interval for a pattern", async ({ sys, member, post }) => {
    const { schedule } = (await post({ name: "swap", everyMs: 60_000, job })).body;
    const patch = (body: unknown) =>
      sys.request<{ schedule: Schedule } & Refusal>("PATCH", `/v1/schedules/${schedule.id}`, { token: member, body });
    const paused = await patch({ paused: true });
    expect([paused.status, paused.body.schedule.paused, paused.body.schedule.nextRunAt]).toEqual([200, true, null]);
    const resumed = await patch({ paused: false });
    expect(resumed.body.schedule.nextRunAt).not.toBeNull();
    const cron = await patch({ cron: "0 0 1 1 *" });
    expect([cron.body.schedule.cron, cron.body.schedule.everyMs]).toEqual(["0 0 1 1 *", null]);
    expect(new Date(cron.body.schedule.nextRunAt ?? "").toISOString()).toMatch(/-01-01T00:00:00.000Z$/);
    const both = await patch({ cron: "0 * * * *", everyMs: 60_000 });
    expect([both.status, both.body.error.details?.map((d) => d.path)]).toEqual([400, ["everyMs"]]);
    const badJob = await patch({ job: { type: "synthetic", input: { items: "x" } } });
    expect([badJob.status, badJob.body.error.details?.map((d) => d.path)]).toEqual([400, ["job.input.items"]]);
    const newJob = await patch({ job: { type: "synthetic", subtype: "work", input: { items: 2 }, priority: 90 } });
    expect(newJob.body.schedule.job).toMatchObject({ subtype: "work", input: { items: 2 }, priority: 90 });
    expect((await sys.request("DELETE", `/v1/schedules/${schedule.id}`, { token: member })).status).toBe(204);
    expect((await sys.request("GET", `/v1/schedules/${schedule.id}`, { token: member })).status).toBe(404);
    expect((await patch({ paused: true })).status).toBe(404);
  });

  it("pages newest first with a cursor, and refuses cursors and ids it did not issue", async ({ sys }) => {
    const token = await sys.token({ sub: randomUUID(), org: randomUUID(), role: "member" });
    const made: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await sys.request<{ schedule: Schedule }>("POST", "/v1/schedules", {
        token,
        body: { name: `page ${String(i)}`, everyMs: 60_000, paused: true, job },
      });
      made.push(res.body.schedule.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const path = `/v1/schedules?limit=2${cursor === null ? "" : `&cursor=${cursor}`}`;
      const page: { status: number; body: { schedules: Schedule[]; nextCursor: string | null } } = await sys.request(
        "GET",
        path,
        { token },
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.schedules.map((s) => s.id));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual([...made].reverse());
    expect((await sys.request("GET", "/v1/schedules?cursor=nope", { token })).status).toBe(400);
    expect((await sys.request("GET", "/v1/schedules/not-a-uuid", { token })).status).toBe(400);
    expect((await sys.request("GET", "/v1/jobs?scheduleId=not-a-uuid", { token })).status).toBe(400);
    const runs = await sys.request<{ jobs: unknown[] }>("GET", `/v1/jobs?scheduleId=${made[0] ?? ""}`, { token });
    expect([runs.status, runs.body.jobs]).toEqual([200, []]);
  });
});
