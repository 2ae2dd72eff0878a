import { describe, expect } from "vitest";
import { openSse, type SseEvent } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";

interface View {
  id: string;
  status: string;
  progress: { percent: number };
}

/** `started` is a second API process's URL: streams must work across processes. */
const it = systemTest(async (sys) => {
  await sys.startApi({ SSE_MAX_PER_TOKEN: "4", SSE_TICK_MS: "50" });
  const second = await sys.startExtraApi({ SSE_TICK_MS: "50" });
  await sys.startWorker("work,mirror,housekeep");
  return second.url;
});

const auth = (token: string) => ({ authorization: `Bearer ${token}` });
const views = (events: SseEvent[], jobId?: string) =>
  events
    .filter((e) => e.event === "job")
    .map((e) => e.data as View)
    .filter((v) => jobId === undefined || v.id === jobId);
const order = ["pending", "queued", "delayed", "running", "completed"];

describe("realtime streams", () => {
  // The jobs below run for seconds so that "running" is still the row's state when the mirror
  // (lagging under load, coalescing a batch's snapshots per job) and the stream catch up.
  it("shows a subscriber queued → running → progress → completed, in order", async ({ sys, member }) => {
    const stream = await openSse(`${sys.apiUrl}/v1/stream`, auth(member));
    expect(stream.status).toBe(200);
    const job = await sys.enqueue(member, {
      type: "synthetic",
      input: { durationMs: 6000, items: 6, steps: ["a", "b", "c"] },
    });
    await stream.waitFor("completed", (events) => views(events, job.id).some((v) => v.status === "completed"));
    stream.close();
    const seen = views(stream.events, job.id);
    const statuses = seen.map((v) => v.status);
    expect(
      statuses[0],
      JSON.stringify(stream.events.map((e) => [e.id, (e.data as View).status, (e.data as View).id === job.id])),
    ).toMatch(/pending|queued/);
    expect(statuses).toContain("running");
    expect(statuses.at(-1)).toBe("completed");
    // Never backwards, in status or progress.
    for (let i = 1; i < seen.length; i++) {
      expect(order.indexOf(statuses[i] ?? "")).toBeGreaterThanOrEqual(order.indexOf(statuses[i - 1] ?? ""));
      expect(seen[i]?.progress.percent).toBeGreaterThanOrEqual(seen[i - 1]?.progress.percent ?? 0);
    }
    expect(seen.some((v) => v.status === "running" && v.progress.percent > 0 && v.progress.percent < 100)).toBe(true);
    const ids = stream.events.filter((e) => (e.data as View).id === job.id).map((e) => Number(e.id?.split(":")[1]));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("resumes a dropped job stream from Last-Event-ID without gaps or repeats, then ends", async ({ sys, member }) => {
    const job = await sys.enqueue(member, {
      type: "synthetic",
      input: { durationMs: 8000, items: 4, steps: ["a", "b", "c", "d"] },
    });
    const first = await openSse(`${sys.apiUrl}/v1/jobs/${job.id}/stream`, auth(member));
    await first.waitFor("a running state", (events) => views(events).some((v) => v.status === "running"));
    first.close();
    const lastId = first.events.at(-1)?.id ?? "";
    const second = await openSse(`${sys.apiUrl}/v1/jobs/${job.id}/stream`, {
      ...auth(member),
      "last-event-id": lastId,
    });
    await second.waitFor("the end of the stream", () => second.ended(), 20_000);
    const firstIds = first.events.map((e) => Number(e.id));
    const secondIds = second.events.map((e) => Number(e.id));
    expect(secondIds.every((id) => id > Number(lastId))).toBe(true);
    expect(new Set([...firstIds, ...secondIds]).size).toBe(firstIds.length + secondIds.length);
    expect(views(second.events).at(-1)?.status).toBe("completed");
    // A stream opened after the end sends the final state once and ends.
    const late = await openSse(`${sys.apiUrl}/v1/jobs/${job.id}/stream`, auth(member));
    await late.waitFor("the end", () => late.ended());
    expect(views(late.events).map((v) => v.status)).toEqual(["completed"]);
  });

  it("streams the same changes from every API process", async ({ sys, member, started: secondApi }) => {
    const job = await sys.enqueue(member, {
      type: "synthetic",
      input: { durationMs: 6000, items: 3, steps: ["a", "b"] },
    });
    const [a, b] = await Promise.all([
      openSse(`${sys.apiUrl}/v1/jobs/${job.id}/stream`, auth(member)),
      openSse(`${secondApi}/v1/jobs/${job.id}/stream`, auth(member)),
    ]);
    await Promise.all([a.waitFor("end", () => a.ended()), b.waitFor("end", () => b.ended())]);
    for (const s of [a, b]) {
      expect(views(s.events).map((v) => v.status)).toContain("running");
      expect(views(s.events).at(-1)?.status).toBe("completed");
    }
    expect(a.events.at(-1)?.id).toBe(b.events.at(-1)?.id);
  });

  it("lets a job's access token open its stream only, and bounds streams per token", async ({ sys, member }) => {
    const job = await sys.enqueue(member, { type: "synthetic", subtype: "noop", input: {}, delayMs: 60_000 });
    const other = await sys.enqueue(member, { type: "synthetic", subtype: "noop", input: {}, delayMs: 60_000 });
    const anon = await openSse(`${sys.apiUrl}/v1/jobs/${job.id}/stream?token=${job.accessToken}`);
    expect(anon.status).toBe(200);
    await anon.waitFor("the current state", (events) => views(events).length === 1);
    expect((await openSse(`${sys.apiUrl}/v1/jobs/${job.id}/stream?token=${other.accessToken}`)).status).toBe(404);
    expect((await openSse(`${sys.apiUrl}/v1/stream?token=${job.accessToken}`)).status).toBe(401);
    anon.close();

    const stranger = await sys.token({ role: "member" });
    expect((await openSse(`${sys.apiUrl}/v1/jobs/${job.id}/stream`, auth(stranger))).status).toBe(404);
    const open = await Promise.all(Array.from({ length: 4 }, () => openSse(`${sys.apiUrl}/v1/stream`, auth(stranger))));
    expect(open.map((s) => s.status)).toEqual([200, 200, 200, 200]);
    const refused = await openSse(`${sys.apiUrl}/v1/stream`, auth(stranger));
    expect(refused.status).toBe(429);
    for (const s of open) s.close();
  });

  it("ends open streams on SIGTERM so the API process exits 0", async ({ sys, member }) => {
    const extra = await sys.startExtraApi();
    const job = await sys.enqueue(member, { type: "synthetic", subtype: "noop", input: {}, delayMs: 60_000 });
    const stream = await openSse(`${extra.url}/v1/jobs/${job.id}/stream`, auth(member));
    await stream.waitFor("the current state", (events) => events.length === 1);
    extra.process.kill("SIGTERM");
    expect(await extra.process.exited(10_000)).toBe(0);
    await stream.waitFor("the stream to end", () => stream.ended(), 5000);
  });
});
