import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeStreamEntry, EventPublisher, keysFor } from "@jobstream/queue";
import { createRedis, redisReady } from "@jobstream/runtime";
import { deletePrefix, testEnv, testQueuePrefix } from "@jobstream/testing";
import { JobError } from "../src/work/job-error";
import { AttemptReporter } from "../src/work/attempt-reporter";

const prefix = testQueuePrefix();
const redis = createRedis({ url: testEnv.redisUrl, connectionName: "item-limit-test" });

beforeAll(async () => {
  expect(await redisReady(redis, 10_000)).toBe(true);
});
afterAll(async () => {
  await deletePrefix(prefix);
  await redis.quit();
});

/** Items of one job that reached its queue's event stream (what the mirror would store). */
async function publishedItems(
  queue: string,
  jobId: string,
): Promise<{ refs: string[]; status: string | undefined; code: string | undefined }> {
  const entries = await redis.xrange(keysFor(prefix).events(queue), "-", "+");
  const decoded = entries.map(([, fields]) => decodeStreamEntry(fields)).filter((e) => e?.jobId === jobId);
  const last = decoded.at(-1)?.snapshot;
  return {
    refs: decoded.flatMap((e) => e?.items.map((i) => i.ref) ?? []),
    status: last?.status,
    code: last?.error?.code,
  };
}

describe("a job type's maximum items per job, at run time", () => {
  it("fails the attempt without retry at the first item over the limit; nothing past it is published", async () => {
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
    expect(await publishedItems("synthetic", run.jobId)).toEqual({
      refs: ["item-0", "item-1", "item-2"],
      status: "failed",
      code: "too_many_items",
    });
  });

  it("refuses a declared total over the limit", () => {
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
