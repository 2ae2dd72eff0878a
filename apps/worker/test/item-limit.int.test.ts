import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { describe, expect } from "vitest";
import { decodeStreamEntry, EventPublisher, keysFor } from "@jobstream/queue";
import { createRedis, redisReady } from "@jobstream/runtime";
import { resourceTest } from "@jobstream/testing/fixtures";
import { JobError } from "../src/work/job-error";
import { AttemptReporter } from "../src/work/attempt-reporter";

const it = resourceTest.extend("redis", { scope: "file" }, async ({ servers }, { onCleanup }) => {
  const redis = createRedis({ url: servers.redisUrl, connectionName: "item-limit-test" });
  onCleanup(async () => {
    await redis.quit();
  });
  if (!(await redisReady(redis, 10_000))) throw new Error("Redis did not answer");
  return redis;
});

/** Items of one job that reached its queue's event stream (what the mirror would store). */
async function publishedItems(
  redis: Redis,
  prefix: string,
  queue: string,
  jobId: string,
): Promise<{ refs: string[]; status: string | undefined; code: string | undefined }> {
  const entries = await redis.xrange(keysFor(prefix).events(queue, 0), "-", "+");
  const decoded = entries.map(([, fields]) => decodeStreamEntry(fields)).filter((e) => e?.jobId === jobId);
  const last = decoded.at(-1)?.snapshot;
  return {
    refs: decoded.flatMap((e) => e?.items.map((i) => i.ref) ?? []),
    status: last?.status,
    code: last?.error?.code,
  };
}

describe("a job type's maximum items per job, at run time", () => {
  it("fails the attempt without retry at the first item over the limit; nothing past it is published", async ({
    redis,
    prefix,
  }) => {
    const run = new AttemptReporter(new EventPublisher(redis, prefix), "synthetic", randomUUID(), 1, [], 3);
    run.start();
    for (let i = 0; i < 3; i++) run.item(`item-${String(i)}`).success();
    let thrown: unknown;
    try {
      run.item("item-3").success();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(JobError);
    expect([(thrown as JobError).code, (thrown as JobError).unrecoverable]).toEqual(["too_many_items", true]);
    // A handler that swallowed the error cannot make it go away.
    expect(run.overLimit).toBe(thrown);
    await run.fail("too_many_items", (thrown as JobError).message, null);
    expect(await publishedItems(redis, prefix, "synthetic", run.jobId)).toEqual({
      refs: ["item-0", "item-1", "item-2"],
      status: "failed",
      code: "too_many_items",
    });
  });

  it("refuses a declared total over the limit", ({ redis, prefix }) => {
    const run = new AttemptReporter(new EventPublisher(redis, prefix), "synthetic", randomUUID(), 1, [], 10);
    expect(() => {
      run.setTotal(11);
    }).toThrow(/at most 10/);
    expect(run.overLimit?.code).toBe("too_many_items");
    const fine = new AttemptReporter(new EventPublisher(redis, prefix), "synthetic", randomUUID(), 1, [], 10);
    fine.setTotal(10);
    expect(fine.overLimit).toBeUndefined();
  });
});
