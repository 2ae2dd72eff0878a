import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Queue } from "bullmq";
import { SYSTEM_ORG_ID } from "@jobstream/db";
import { Producer, SCHEDULES_QUEUE, ScheduleTicks } from "@jobstream/queue";
import { createLogger } from "@jobstream/runtime";
import { deletePrefix, System, testRedis, waitFor, type AppProcess } from "@jobstream/testing";
import { RETENTION_SCHEDULE_ID } from "../src/schedules/system-schedules";
import { runTick } from "../src/schedules/run-tick";
import { openQueue } from "./bull-queue";

const sys = new System();
let member: string;
let ticksQueue: Queue;
let closeTicksQueue: () => Promise<void>;

interface Schedule {
  id: string;
  paused: boolean;
  nextRunAt: string | null;
  lastRunAt: string | null;
  lastJobId: string | null;
}
interface Run {
  id: string;
  status: string;
  scheduleId: string | null;
}

beforeAll(async () => {
  await sys.init();
  await sys.startApi();
  // Runs and mirrors the jobs; no housekeeper yet: nothing takes ticks until a test starts one.
  await sys.startWorker("work,mirror");
  member = await sys.token({ sub: randomUUID(), org: randomUUID(), role: "member" });
  ({ queue: ticksQueue, close: closeTicksQueue } = openQueue(sys, SCHEDULES_QUEUE));
}, 60_000);
afterAll(async () => {
  await closeTicksQueue();
  await sys.stop();
}, 60_000);

async function create(body: Record<string, unknown>): Promise<Schedule> {
  const res = await sys.request<{ schedule: Schedule }>("POST", "/v1/schedules", {
    token: member,
    body: { name: "every second", everyMs: 1000, job: { type: "synthetic", subtype: "noop", input: {} }, ...body },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.schedule;
}

async function patch(id: string, body: Record<string, unknown>): Promise<Schedule> {
  const res = await sys.request<{ schedule: Schedule }>("PATCH", `/v1/schedules/${id}`, { token: member, body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.schedule;
}

/** A schedule's runs as the API lists them (newest first). */
async function runs(scheduleId: string): Promise<Run[]> {
  const res = await sys.request<{ jobs: Run[] }>("GET", `/v1/jobs?scheduleId=${scheduleId}&limit=500`, {
    token: member,
  });
  expect(res.status).toBe(200);
  return res.body.jobs;
}

/** The tick time of each of a schedule's jobs, from their idempotency keys, oldest first. */
async function tickTimes(scheduleId: string): Promise<number[]> {
  const rows = await sys.query<{ idempotency_key: string }>(
    `SELECT idempotency_key FROM jobs WHERE schedule_id = $1 ORDER BY idempotency_key`,
    [scheduleId],
  );
  return rows.map((r) => Number(r.idempotency_key.split(":").at(-1))).sort((a, b) => a - b);
}

const completedRuns = (scheduleId: string, n: number) =>
  waitFor(
    `${String(n)} completed runs`,
    async () => {
      const list = await runs(scheduleId);
      return list.filter((r) => r.status === "completed").length >= n ? list : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 100 },
  );

/** Resolves once `ms` have passed: a precondition (ticks were due meanwhile), never an assertion. */
const pastTime = (what: string, at: number) =>
  waitFor(what, () => Date.now() > at, { timeoutMs: 60_000, intervalMs: 50 });

/** No tick of the schedule is waiting, due or running in BullMQ. */
const noPendingTick = (scheduleId: string) =>
  waitFor("no pending tick", async () => {
    const jobs = await ticksQueue.getJobs(["wait", "active", "delayed", "prioritized"]);
    return !jobs.some((j) => (j.data as { scheduleId?: string }).scheduleId === scheduleId);
  });

describe("schedules", () => {
  let housekeepers: AppProcess[] = [];

  it("runs once for a downtime that spans several ticks, not once per missed tick", async () => {
    // No housekeeper runs: the scheduler holds one due tick while five more come and go.
    const schedule = await create({ name: "missed ticks" });
    expect(schedule.nextRunAt).not.toBeNull();
    await pastTime("five missed ticks", Date.parse(schedule.nextRunAt ?? "") + 5500);
    const restartedAt = Date.now();
    housekeepers.push(await sys.startWorker("housekeep"));
    // The catch-up run, then the next regular one (scheduled from now, after the restart).
    await completedRuns(schedule.id, 2);
    const ticks = await tickTimes(schedule.id);
    expect(ticks.filter((t) => t < restartedAt)).toHaveLength(1);
    expect(ticks[1]).toBeGreaterThan(restartedAt);
    await patch(schedule.id, { paused: true });
  });

  it("fires with two housekeepers, one job per tick, each an ordinary mirrored job carrying scheduleId", async () => {
    housekeepers.push(await sys.startWorker("housekeep"));
    const schedule = await create({ name: "two housekeepers" });
    const list = await completedRuns(schedule.id, 4);
    expect(list.every((r) => r.scheduleId === schedule.id)).toBe(true);
    const ticks = await tickTimes(schedule.id);
    expect(new Set(ticks).size).toBe(ticks.length);
    // Every tick BullMQ handed out made exactly one job, and every job came from one tick.
    await patch(schedule.id, { paused: true });
    await noPendingTick(schedule.id);
    const done = (await ticksQueue.getJobs(["completed"])).filter(
      (j) => (j.data as { scheduleId?: string }).scheduleId === schedule.id,
    );
    expect(done.map((j) => Number(j.id?.split(":").at(-1))).sort((a, b) => a - b)).toEqual(
      await tickTimes(schedule.id),
    );
    const shown = await sys.request<{ schedule: Schedule }>("GET", `/v1/schedules/${schedule.id}`, { token: member });
    const last = await runs(schedule.id);
    expect(shown.body.schedule.lastJobId).toBe(last[0]?.id);
    expect(shown.body.schedule.lastRunAt).toBe(new Date(Math.max(...ticks)).toISOString());
    expect(shown.body.schedule.nextRunAt).toBeNull();
  });

  it("stops on pause and starts again on resume", async () => {
    const schedule = await create({ name: "pause and resume" });
    await completedRuns(schedule.id, 1);
    const paused = await patch(schedule.id, { paused: true });
    expect([paused.paused, paused.nextRunAt]).toEqual([true, null]);
    expect(await ticksQueue.getJobScheduler(schedule.id)).toBeUndefined();
    await noPendingTick(schedule.id);
    const before = (await runs(schedule.id)).length;
    await pastTime("three ticks while paused", Date.now() + 3500);
    expect(await runs(schedule.id)).toHaveLength(before);

    const resumed = await patch(schedule.id, { paused: false });
    expect(resumed.nextRunAt).not.toBeNull();
    await completedRuns(schedule.id, before + 2);
    await patch(schedule.id, { paused: true });
  });

  it("restores the schedulers from Postgres after Redis lost them, and the runs continue", async () => {
    const schedule = await create({ name: "redis loses it" });
    await completedRuns(schedule.id, 1);
    // Every key of the schedules queue (`<bull prefix>:~schedules:*`, hash-tagged on a cluster).
    await deletePrefix(ticksQueue.qualifiedName);
    const lostAt = Date.now();
    // Only the housekeeper's reconcile writes schedulers from rows: runs after the loss come from it.
    await waitFor("the scheduler again", async () => (await ticksQueue.getJobScheduler(schedule.id)) !== undefined);
    await waitFor(
      "two runs after the loss",
      async () => (await tickTimes(schedule.id)).filter((t) => t > lostAt).length >= 2,
    );
    // The paused schedules stayed without a scheduler; the system schedule came back too.
    const ids = (await ticksQueue.getJobSchedulers(0, -1)).map((s) => s.key).sort();
    expect(ids).toEqual([RETENTION_SCHEDULE_ID, schedule.id].sort());
    await patch(schedule.id, { paused: true });
  });

  it("makes one job of one tick processed twice at once (a retried or stalled tick)", async () => {
    const schedule = await create({ name: "tick twice", paused: true });
    const connection = testRedis(sys.redisUrl, { maxRetriesPerRequest: null });
    const producer = new Producer(connection, sys.prefix, () => undefined);
    const ticks = new ScheduleTicks(connection, sys.prefix, () => undefined);
    try {
      // Running, so the tick is not skipped; its scheduler is not needed to run a tick by hand.
      await sys.query(`UPDATE schedules SET paused = false WHERE id = $1`, [schedule.id]);
      const tick = {
        id: `repeat:${schedule.id}:${String(Date.now())}`,
        data: { scheduleId: schedule.id, revision: 1 },
        timestamp: Date.now(),
      };
      const deps = { db: sys.pool, producer, ticks, logger: createLogger({ service: "test", level: "silent" }) };
      const outcomes = await Promise.all([runTick(deps, tick), runTick(deps, tick), runTick(deps, tick)]);
      const ids = outcomes.map((o) => ("run" in o ? o.run : o.skipped));
      expect(new Set(ids).size).toBe(1);
      expect(outcomes.filter((o) => "created" in o && o.created)).toHaveLength(1);
      expect(await runs(schedule.id)).toHaveLength(1);
    } finally {
      await sys.query(`UPDATE schedules SET paused = true WHERE id = $1`, [schedule.id]);
      await ticks.close();
      await producer.close();
      connection.disconnect();
    }
  });

  it("carries on after every housekeeper is killed (SIGKILL): one catch-up run, then a run per tick", async () => {
    const schedule = await create({ name: "housekeepers killed" });
    await completedRuns(schedule.id, 1);
    expect(housekeepers.length).toBeGreaterThan(0);
    for (const h of housekeepers) h.kill("SIGKILL");
    await Promise.all(housekeepers.map((h) => h.exited(15_000)));
    housekeepers = [];
    const killedAt = Date.now();
    await pastTime("three ticks with no housekeeper", killedAt + 3500);
    const restartedAt = Date.now();
    housekeepers.push(await sys.startWorker("housekeep"));
    await waitFor(
      "two regular runs after the restart",
      async () => (await tickTimes(schedule.id)).filter((t) => t > restartedAt).length >= 2,
      { timeoutMs: 30_000 },
    );
    await patch(schedule.id, { paused: true });
    await noPendingTick(schedule.id);
    // The ticks missed while no housekeeper ran became one run, not three.
    expect((await tickTimes(schedule.id)).filter((t) => t > killedAt && t < restartedAt).length).toBeLessThanOrEqual(1);
    // Every run, including one whose tick a killed housekeeper held, finishes.
    const all = await runs(schedule.id);
    await Promise.all(all.map((r) => sys.waitForStatus(member, r.id, "completed")));
  });

  it("runs the retention sweep as a system schedule, visible to operators only", async () => {
    const operator = await sys.token({ role: "operator" });
    const listed = await sys.request<{ schedules: Schedule[] }>("GET", "/v1/schedules", { token: operator });
    expect(listed.body.schedules.map((s) => s.id)).toContain(RETENTION_SCHEDULE_ID);
    const mine = await sys.request<{ schedules: Schedule[] }>("GET", "/v1/schedules", { token: member });
    expect(mine.body.schedules.map((s) => s.id)).not.toContain(RETENTION_SCHEDULE_ID);
    // Its first tick is due when it is created: an ordinary maintenance job of the system org.
    const [sweep] = await waitFor("a retention sweep run", () =>
      sys
        .query<{
          org_id: string;
          type: string;
          status: string;
        }>(`SELECT org_id::text, type, status::text FROM jobs WHERE schedule_id = $1 AND status = 'completed'`, [
          RETENTION_SCHEDULE_ID,
        ])
        .then((rows) => (rows.length > 0 ? rows : undefined)),
    );
    expect(sweep).toMatchObject({ org_id: SYSTEM_ORG_ID, type: "maintenance" });
    const deleted = await sys.request("DELETE", `/v1/schedules/${RETENTION_SCHEDULE_ID}`, { token: operator });
    expect(deleted.status).toBe(409);
    for (const h of housekeepers) h.kill("SIGTERM");
    await Promise.all(housekeepers.map((h) => h.exited(15_000)));
    housekeepers = [];
  });
});
