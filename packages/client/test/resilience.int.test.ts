import { describe, expect } from "vitest";
import { createClient, type FetchLike, type JobView } from "../src/index.ts";
import { it, lastEventIdsOf, SYSTEM_ENV } from "./system-env.ts";

/** Patient enough to outlast an API restart (a few seconds here). */
const RETRY = { attempts: 12, baseDelayMs: 200, maxDelayMs: 2000 };

describe("retries and reconnects across API restarts", () => {
  it("retries an enqueue whose answer was lost when the API was killed, without making a second job", async ({
    sys,
    started: { token },
  }) => {
    const calls: { url: string; key: string | undefined; outcome: string }[] = [];
    let restart: Promise<void> | undefined;
    // The first enqueue reaches the API and is stored; then the API process is killed before the
    // client reads the answer, so the client sees only a dropped connection.
    const killingFetch: FetchLike = async (url, init) => {
      const body = typeof init.body === "string" ? (JSON.parse(init.body) as { idempotencyKey?: string }) : {};
      if (calls.length === 0) {
        const res = await fetch(url, init);
        calls.push({ url, key: body.idempotencyKey, outcome: `stored (${String(res.status)}), answer dropped` });
        restart = sys.restartApi("SIGKILL", undefined, SYSTEM_ENV);
        await sys.api?.exited().catch(() => undefined);
        throw new TypeError("fetch failed", { cause: new Error("socket hang up") });
      }
      try {
        const res = await fetch(url, init);
        calls.push({ url, key: body.idempotencyKey, outcome: String(res.status) });
        return res;
      } catch (error) {
        calls.push({ url, key: body.idempotencyKey, outcome: "refused" });
        throw error;
      }
    };
    const client = createClient({ baseUrl: sys.apiUrl, token, fetch: killingFetch, retry: RETRY });

    const answer = await client.jobs.enqueue({ type: "synthetic", subtype: "noop", input: { items: 2 } });
    await restart;

    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls.at(-1)?.outcome).toBe("200"); // the existing job, not a new one (202)
    const key = calls[0]?.key;
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(calls.map((c) => c.key))).toEqual(new Set([key])); // every try sent the same key
    expect(answer.created).toBe(false);
    const rows = await sys.query<{ id: string }>("SELECT id FROM jobs WHERE idempotency_key = $1", [key]);
    expect(rows).toEqual([{ id: answer.job.id }]);
  });

  it("watch resumes with Last-Event-ID after the API restarts and ends at the final state", async ({
    sys,
    started: { token },
  }) => {
    const { fetch: recordingFetch, lastEventIds: streamRequests } = lastEventIdsOf((url) => url.endsWith("/stream"));
    const client = createClient({ baseUrl: sys.apiUrl, token, fetch: recordingFetch, retry: RETRY });
    const { job } = await client.jobs.enqueue({
      type: "synthetic",
      input: { durationMs: 8000, steps: ["one", "two", "three", "four"], items: 4 },
    });

    const views: JobView[] = [];
    let restarted: Promise<void> | undefined;
    for await (const view of client.jobs.watch(job.id, { maxReconnectDelayMs: 1000 })) {
      views.push(view);
      // Once it runs, take the API down hard: the stream drops mid-job.
      if (view.status === "running" && restarted === undefined)
        restarted = sys.restartApi("SIGKILL", undefined, SYSTEM_ENV);
    }
    await restarted;

    expect(restarted).toBeDefined();
    expect(views.at(-1)?.status).toBe("completed");
    expect(views.at(-1)?.items.processed).toBe(4);
    // Reconnected, and every reconnection named the last state it had seen.
    expect(streamRequests.length).toBeGreaterThanOrEqual(2);
    expect(streamRequests[0]).toBeNull();
    expect(streamRequests.slice(1).every((id) => id !== null && /^\d+$/.test(id))).toBe(true);
    // States arrive in order and none twice (ids are the job's versions).
    const percents = views.map((v) => v.progress.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(new Set(views.map((v) => JSON.stringify(v))).size).toBe(views.length);
  });
});
