import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { deletePrefix, testEnv, testQueuePrefix } from "@jobstream/testing";
import { BULL_PRIORITY_LIMIT, FairShare, fairShareKeys, keysFor, type FairShareJob } from "../src/index";

const prefix = testQueuePrefix();
const redis = new Redis(testEnv.redisUrl);
const fair = new FairShare(redis, keysFor(prefix, false));
const queues: Queue[] = [];

afterAll(async () => {
  await Promise.all(queues.map((q) => q.close()));
  await deletePrefix(prefix);
  redis.disconnect();
});

/** A fresh queue (its own name) and a helper that tags jobs and adds them to it, as the producer does. */
function queueUnderTest() {
  const name = `fair-${randomUUID().slice(0, 8)}`;
  const queue = new Queue(name, { connection: redis, prefix });
  queues.push(queue);
  const add = async (orgId: string, count: number, priority = 50): Promise<FairShareJob[]> => {
    const jobs = Array.from({ length: count }, () => ({ id: randomUUID(), type: name, orgId, priority }));
    const tags = await fair.priorities(jobs);
    await queue.addBulk(
      jobs.map((j) => ({ name: "x", data: { org: orgId }, opts: { jobId: j.id, priority: tags.get(j.id) } })),
    );
    return jobs;
  };
  /** Job ids in the order BullMQ will hand them out. */
  const order = async () => (await queue.getPrioritized(0, -1)).map((j) => j.id ?? "");
  return { name, queue, add, order };
}

describe("FairShare", () => {
  it("interleaves a newcomer's jobs with a large backlog instead of queueing them behind it", async () => {
    const { add, order } = queueUnderTest();
    const a = await add("org-a", 200);
    const b = await add("org-b", 5);
    const ids = await order();
    // Each of B's jobs shares a tag with one of A's first five; A's, added first, goes first.
    expect(b.map((j) => ids.indexOf(j.id))).toEqual([1, 3, 5, 7, 9]);
    expect(ids.indexOf(a[5]?.id ?? "")).toBe(10);
  });

  it("starts a returning org at the current virtual time, not behind its own history", async () => {
    const { queue, add, order } = queueUnderTest();
    const early = await add("org-a", 50);
    // A's first 40 ran: the head of the queue moved on.
    for (const job of early.slice(0, 40)) await queue.remove(job.id);
    await add("org-c", 20);
    const back = await add("org-a", 1);
    const ids = await order();
    // C (new) alternates with A's ten left; A's newest job follows its own ten (sharing its tag with
    // C's eleventh, added before it), not C's twenty.
    expect(ids.indexOf(back[0]?.id ?? "")).toBe(21);
    expect(ids.slice(0, 4).map((id) => (early.some((j) => j.id === id) ? "a" : "c"))).toEqual(["a", "c", "a", "c"]);
  });

  it("puts an org's higher-priority job ahead of the org's own queued lower-priority jobs", async () => {
    const { add, order } = queueUnderTest();
    await add("org-a", 100, 10);
    const urgent = await add("org-a", 1, 90);
    const later = await add("org-a", 1, 10);
    const ids = await order();
    expect(ids.indexOf(urgent[0]?.id ?? "")).toBeLessThanOrEqual(1);
    expect(ids.at(-1)).toBe(later[0]?.id);
  });

  it("rebases before BullMQ's priority limit, keeping the order of the jobs already queued", async () => {
    const { name, add, order, queue } = queueUnderTest();
    // As if two million tags had been handed out on this queue.
    await redis.hset(fairShareKeys.state(prefix, name), "b", 0, "v", BULL_PRIORITY_LIMIT - 20);
    const first = await add("org-a", 5);
    const second = await add("org-b", 30);
    const ids = await order();
    const firstAt = first.map((j) => ids.indexOf(j.id));
    expect(firstAt).toEqual([...firstAt].sort((x, y) => x - y));
    expect(second.map((j) => ids.indexOf(j.id))).toEqual(
      [...second.map((j) => ids.indexOf(j.id))].sort((x, y) => x - y),
    );
    expect(ids).toHaveLength(35);
    const priorities = (await queue.getPrioritized(0, -1)).map((j) => j.priority);
    expect(Math.max(...priorities)).toBeLessThan(1000);
    // B's first job shares a tag with A's first: the shift kept A's jobs where they were.
    expect(ids.indexOf(second[0]?.id ?? "")).toBe(1);
  });
});
