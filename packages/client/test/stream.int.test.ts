import { describe, expect } from "vitest";
import { createClient, UnauthorizedError, ValidationError, type JobSummary } from "../src/index.ts";
import { it, lastEventIdsOf, SYSTEM_ENV } from "./system-env.ts";

/** Summaries of `jobId` from `stream` until it is completed (or 30 s pass). */
async function untilCompleted(
  stream: AsyncIterable<JobSummary>,
  jobId: () => string | undefined,
): Promise<JobSummary[]> {
  const seen: JobSummary[] = [];
  for await (const summary of stream) {
    if (summary.id !== jobId()) continue;
    seen.push(summary);
    if (summary.status === "completed") break;
  }
  return seen;
}

describe("client.stream (GET /v1/stream)", () => {
  it("delivers each change of a new job, in order, filtered by type", async ({ sys, started: { token } }) => {
    const client = createClient({ baseUrl: sys.apiUrl, token });
    const abort = new AbortController();
    const opened: string[] = [];
    const target: { id?: string } = {};
    const stream = client.stream(
      { type: "synthetic" },
      {
        signal: abort.signal,
        onConnection: (state) => {
          opened.push(state);
        },
      },
    );
    const collecting = untilCompleted(stream, () => target.id);
    await expect.poll(() => opened, { timeout: 20_000 }).toContain("open");
    const { job } = await client.jobs.enqueue({
      type: "synthetic",
      input: { durationMs: 4000, items: 3, steps: ["a", "b"] },
    });
    target.id = job.id;
    const seen = await collecting;
    abort.abort();
    const statuses = seen.map((s) => s.status);
    expect(statuses.at(-1)).toBe("completed");
    expect(statuses).toContain("running");
    // Never backwards: once completed, nothing after; percents only grow.
    const percents = seen.map((s) => s.progress.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(seen.at(-1)?.items.processed).toBe(3);
  }, 60_000);

  it("reconnects with Last-Event-ID after the API restarts and repeats no state", async ({
    sys,
    started: { token },
  }) => {
    const { fetch: recordingFetch, lastEventIds } = lastEventIdsOf((url) => new URL(url).pathname === "/v1/stream");
    const client = createClient({ baseUrl: sys.apiUrl, token, fetch: recordingFetch });
    const { job } = await client.jobs.enqueue({
      type: "synthetic",
      input: { durationMs: 6000, items: 4, steps: ["one", "two", "three", "four"] },
    });
    const abort = new AbortController();
    const seen: JobSummary[] = [];
    let restarted: Promise<void> | undefined;
    for await (const summary of client.stream({}, { signal: abort.signal, maxReconnectDelayMs: 1000 })) {
      if (summary.id !== job.id) continue;
      seen.push(summary);
      if (summary.status === "running" && restarted === undefined) {
        restarted = sys.restartApi("SIGKILL", undefined, SYSTEM_ENV);
      }
      if (summary.status === "completed") break;
    }
    abort.abort();
    await restarted;
    expect(restarted).toBeDefined();
    expect(seen.at(-1)?.status).toBe("completed");
    expect(lastEventIds.length).toBeGreaterThanOrEqual(2);
    expect(lastEventIds[0]).toBeNull();
    expect(lastEventIds.slice(1).every((id) => id !== null && /^[0-9a-f-]{36}:\d+$/.test(id))).toBe(true);
    // The API re-sends active jobs on every connection; the client drops states it already gave.
    const states = seen.map((s) => JSON.stringify(s));
    expect(new Set(states).size).toBe(states.length);
  }, 90_000);

  it("throws the API's error when the stream is refused", async ({ sys, started: { token } }) => {
    const signedOut = createClient({ baseUrl: sys.apiUrl, token: "not-a-token" });
    await expect(signedOut.stream()[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(UnauthorizedError);
    const client = createClient({ baseUrl: sys.apiUrl, token });
    const bad = client.stream({ status: "nonsense" as "running" })[Symbol.asyncIterator]();
    await expect(bad.next()).rejects.toBeInstanceOf(ValidationError);
  });

  it("lists the caller's active jobs", async ({ sys, started: { token } }) => {
    const client = createClient({ baseUrl: sys.apiUrl, token });
    const { job } = await client.jobs.enqueue({ type: "synthetic", input: { durationMs: 3000 } });
    const active = await client.jobs.active();
    expect(active.jobs.map((j) => j.id)).toContain(job.id);
    expect(typeof active.running).toBe("number");
  });
});
