import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import {
  ConflictError,
  createClient,
  JobstreamError,
  NotFoundError,
  RateLimitedError,
  UnauthorizedError,
  ValidationError,
  type JobView,
} from "../src/index.ts";
import { it as systemTest, SYSTEM_ENV } from "./system-env.ts";

/** A client of the file's admin. */
const it = systemTest.extend("client", { scope: "file" }, ({ sys, started }) =>
  createClient({ baseUrl: sys.apiUrl, token: started.token }),
);

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const value of iterable) out.push(value);
  return out;
}

describe("@jobstream/client against a running API", () => {
  it("enqueues, watches to completion, then reads the job, its items and events", async ({ client }) => {
    const answer = await client.jobs.enqueue({
      type: "synthetic",
      subtype: "work",
      input: { durationMs: 4000, items: 5, failItems: [2], steps: ["fetch", "load"], output: { hello: "world" } },
      name: "client test",
    });
    expect(answer.created).toBe(true);
    expect(answer.job.name).toBe("client test");
    expect(answer.streamUrl).toContain(answer.job.id);

    const views = await collect(client.jobs.watch(answer.job.id));
    const last = views.at(-1);
    expect(last?.status).toBe("completed");
    expect(last?.output).toEqual({ echo: { hello: "world" }, items: 5 });
    expect(views.map((v) => v.status)).toContain("running");

    const job = await client.jobs.get(answer.job.id);
    expect(job).toMatchObject({ id: answer.job.id, status: "completed", items: { total: 5, processed: 5, failed: 1 } });

    const items = await client.jobs.items(answer.job.id);
    expect(items.items.map((i) => i.ref).sort()).toEqual(["item-0", "item-1", "item-2", "item-3", "item-4"]);
    const errors = await client.jobs.items(answer.job.id, { status: "error" });
    expect(errors.items.map((i) => i.ref)).toEqual(["item-2"]);

    const { events } = await client.jobs.events(answer.job.id);
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(["created", "started", "completed"]));
  });

  it("returns the existing job for a repeated idempotency key (created: false)", async ({ client }) => {
    const job = {
      type: "synthetic",
      subtype: "noop",
      input: { items: 1 },
      idempotencyKey: `key-${randomUUID()}`,
    } as const;
    const first = await client.jobs.enqueue(job);
    const second = await client.jobs.enqueue(job);
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.job.id).toBe(first.job.id);
  });

  it("enqueues a batch (default subtype allowed) and lists it page by page through nextCursor", async ({ client }) => {
    const groupId = `group-${randomUUID()}`;
    const batch = await client.jobs.enqueueBatch(
      Array.from({ length: 7 }, (_, i) => ({ type: "synthetic" as const, input: { items: i }, groupId })),
    );
    expect(batch.jobs).toHaveLength(7);
    expect(batch.jobs.every((a) => a.job.subtype === "work")).toBe(true);

    const list = client.jobs.list({ groupId, limit: 3 });
    const pages = await collect(list.pages());
    expect(pages.map((p) => p.jobs.length)).toEqual([3, 3, 1]);
    const ids = (await collect(list)).map((j) => j.id);
    expect(new Set(ids)).toEqual(new Set(batch.jobs.map((a) => a.job.id)));
    const statuses = await collect(
      client.jobs.list({ groupId, status: ["completed", "failed", "cancelled", "running", "queued", "pending"] }),
    );
    expect(statuses).toHaveLength(7);
  });

  it("cancels a running job and retries it", async ({ client }) => {
    const { job } = await client.jobs.enqueue({
      type: "synthetic",
      input: { durationMs: 20_000, steps: ["a", "b", "c"] },
    });
    let seen: JobView | undefined;
    for await (const view of client.jobs.watch(job.id)) {
      seen = view;
      if (view.status === "running") break;
    }
    expect(seen?.status).toBe("running");
    await client.jobs.cancel(job.id);
    const final = (await collect(client.jobs.watch(job.id))).at(-1);
    expect(final?.status).toBe("cancelled");

    const again = await client.jobs.cancel(job.id).catch((error: unknown) => error);
    expect(again).toBeInstanceOf(ConflictError);
    expect((again as ConflictError).code).toBe("conflict");

    const retried = await client.jobs.retry(job.id);
    // A free worker may take the reopened job before the answer is read back.
    expect(["queued", "running"]).toContain(retried.status);
    await client.jobs.cancel(job.id);
  });

  it("turns API errors into named classes with code, status and field paths", async ({ sys, client }) => {
    const bad = await client.jobs
      // @ts-expect-error -- a wrong input type is a compile error; the API refuses it too
      .enqueue({ type: "synthetic", subtype: "work", input: { durationMs: "slow" } })
      .catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(ValidationError);
    expect(bad).toBeInstanceOf(JobstreamError);
    const error = bad as ValidationError;
    expect(error.name).toBe("ValidationError");
    expect(error.status).toBe(400);
    expect(error.code).toBe("validation_failed");
    expect(error.fieldIssues.map((i) => i.path)).toContain("input.durationMs");

    const missing = await client.jobs.get(randomUUID()).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).name).toBe("NotFoundError");

    const unknown = await collect(client.jobs.watch(randomUUID())).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(NotFoundError);

    const anonymous = createClient({ baseUrl: sys.apiUrl, token: "not-a-jwt" });
    const denied = await anonymous.jobs.get(randomUUID()).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(UnauthorizedError);
    expect((denied as UnauthorizedError).status).toBe(401);
  });

  it("throws RateLimitedError with the API's Retry-After when it is longer than the client waits", async ({
    sys,
    started: { org },
  }) => {
    const limited = await sys.startExtraApi({ ...SYSTEM_ENV, RATE_LIMIT_PER_MINUTE: "2" });
    const token = await sys.token({ sub: randomUUID(), org, role: "member" });
    const tight = createClient({ baseUrl: limited.url, token, retry: { attempts: 3, maxDelayMs: 5000 } });
    // Unknown ids answer 404 until the limit is reached; then 429 with Retry-After (about a minute).
    let error: unknown;
    for (let i = 0; i < 10 && !(error instanceof RateLimitedError); i++) {
      error = await tight.jobs.get(randomUUID()).catch((e: unknown) => e);
    }
    expect(error).toBeInstanceOf(RateLimitedError);
    const limitedError = error as RateLimitedError;
    expect(limitedError.name).toBe("RateLimitedError");
    expect(limitedError.status).toBe(429);
    expect(limitedError.retryAfterMs).toBeGreaterThan(5000);
  });

  it("lists the registered job types", async ({ client }) => {
    const { jobTypes } = await client.jobTypes();
    const synthetic = jobTypes.find((t) => t.type === "synthetic");
    expect(synthetic?.defaultSubtype).toBe("work");
    expect(synthetic?.subtypes.map((s) => s.subtype)).toEqual(expect.arrayContaining(["work", "noop"]));
  });
});
