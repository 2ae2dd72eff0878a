import { UnavailableError, type JobstreamClient, type JobSummary, type StreamOptions } from "@jobstream/client";
import { describe, expect, it } from "vitest";
import { JobFeed, resolveLive } from "./job-feed.ts";

/** A client whose `stream` is scripted (the feed uses nothing else of it). */
function clientWith(stream: (options: StreamOptions) => AsyncIterable<JobSummary>): JobstreamClient {
  return { stream: (_filter: unknown, options: StreamOptions = {}) => stream(options) } as unknown as JobstreamClient;
}

const summary = { id: "j1", status: "running" } as JobSummary;

describe("JobFeed", () => {
  it("shares one stream among subscribers, reports it live, and closes it after the last leaves", async () => {
    let opened = 0;
    let closed = 0;
    const client = clientWith(async function* (options) {
      opened++;
      options.onConnection?.("open");
      yield summary;
      await new Promise<void>((resolve) =>
        options.signal?.addEventListener("abort", () => {
          resolve();
        }),
      );
      closed++;
    });
    const feed = new JobFeed(client, resolveLive({}));
    const a: JobSummary[] = [];
    const b: JobSummary[] = [];
    const offA = feed.subscribe((job) => a.push(job));
    const offB = feed.subscribe((job) => b.push(job));
    await expect.poll(() => feed.getConnection()).toBe("live");
    expect(a).toEqual([summary]);
    expect(b).toEqual([summary]);
    // StrictMode's unsubscribe + subscribe at once keeps the same connection.
    offA();
    offB();
    const offC = feed.subscribe(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(opened).toBe(1);
    expect(closed).toBe(0);
    offC();
    await expect.poll(() => closed, { timeout: 3000 }).toBe(1);
    expect(opened).toBe(1);
  });

  it("falls back to polling when the stream cannot be held, and tries it again later", async () => {
    let tries = 0;
    const client = clientWith(async function* () {
      tries++;
      await Promise.resolve();
      if (tries > 0) throw new UnavailableError("network", "refused");
      yield summary;
    });
    const feed = new JobFeed(client, resolveLive({ streamRetryMs: 50 }));
    const states: string[] = [];
    feed.watchConnection(() => states.push(feed.getConnection()));
    const off = feed.subscribe(() => undefined);
    await expect.poll(() => tries).toBeGreaterThanOrEqual(3);
    expect(states).toContain("polling");
    expect(states).toContain("connecting");
    off();
  });
});
