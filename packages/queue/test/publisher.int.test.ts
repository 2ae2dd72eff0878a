import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { isCluster } from "@jobstream/runtime";
import { deletePrefix, testQueuePrefix, testRedis } from "@jobstream/testing";
import { decodeStreamEntry, EventPublisher, keysFor, shardOf } from "../src/index";
import { withScripts } from "../src/scripts";

const prefix = testQueuePrefix();
const redis = testRedis();
const publisher = new EventPublisher(redis, prefix);
const keys = keysFor(prefix, isCluster(redis));

afterAll(async () => {
  await deletePrefix(prefix);
  redis.disconnect();
});

const payload = (n: number) => ({
  snapshot: null,
  items: [],
  timeline: Array.from({ length: n }, () => ({ type: "step" as const, data: {}, at: 1 })),
});

describe("EventPublisher", () => {
  it("hands out increasing sequences, one per timeline entry, in stream order", async () => {
    const job = randomUUID();
    expect(await publisher.publish("q", job, payload(0))).toBe(1);
    expect(await publisher.publish("q", job, payload(3))).toBe(4);
    expect(await publisher.publish("q", job, payload(1))).toBe(5);
    const entries = await redis.xrange(keys.events("q", 0), "-", "+");
    const mine = entries.map(([, fields]) => decodeStreamEntry(fields)).filter((e) => e?.jobId === job);
    expect(mine.map((e) => e?.seq)).toEqual([1, 4, 5]);
  });

  it("continues above a floor once Redis lost the counter", async () => {
    const job = randomUUID();
    expect(await publisher.reserve("q", job, 40, 0)).toBe(40);
    expect(await publisher.publish("q", job, payload(1))).toBe(41);
    expect(await publisher.publish("q", job, payload(1), 10)).toBe(42);
    expect(await publisher.reserve("q", job, 0, 2)).toBe(44);
  });

  it("appends one entry for a publish sent twice (a command ioredis re-sent after a failover)", async () => {
    const job = randomUUID();
    const scripts = withScripts(redis);
    const send = (publishId: string) =>
      scripts.jobstreamPublish(keys.seq("d", 0), keys.events("d", 0), job, 1, JSON.stringify(payload(1)), 0, publishId);
    expect(await send("p.1")).toBe(1);
    expect(await send("p.1")).toBe(1);
    expect(await send("p.2")).toBe(2);
    expect(await send("p.2")).toBe(2);
    const entries = await redis.xrange(keys.events("d", 0), "-", "+");
    const mine = entries.map(([, fields]) => decodeStreamEntry(fields)).filter((e) => e?.jobId === job);
    expect(mine.map((e) => e?.seq)).toEqual([1, 2]);
    // A finished job's counter and last publish id both go.
    expect(await scripts.jobstreamForget(keys.seq("d", 0), job, 2)).toBe(2);
    expect(await redis.hmget(keys.seq("d", 0), job, `${job}#p`)).toEqual([null, null]);
  });

  it("acknowledges and deletes a stream's entries in one step", async () => {
    const scripts = withScripts(redis);
    const stream = keys.events("ack", 0);
    await redis.xgroup("CREATE", stream, "g", "0", "MKSTREAM");
    const ids = await Promise.all([1, 2, 3].map(() => redis.xadd(stream, "*", "j", "x")));
    await redis.xreadgroup("GROUP", "g", "c", "STREAMS", stream, ">");
    const [first, second, third] = ids.map(String);
    expect(await scripts.jobstreamAckDelete(stream, "g", first ?? "", second ?? "")).toBe(2);
    expect((await redis.xrange(stream, "-", "+")).map(([id]) => id)).toEqual([third]);
    expect(((await redis.xpending(stream, "g")) as [number])[0]).toBe(1);
  });

  it("publishes only storable text: NUL and lone surrogates are escaped everywhere in the payload", async () => {
    const job = randomUUID();
    const dirty = "a\u0000b\ud800";
    await publisher.publish("q", job, {
      snapshot: {
        status: "failed",
        attempts: 1,
        progress: 0,
        message: dirty,
        step: dirty,
        total: null,
        output: { [dirty]: [dirty] },
        error: { code: dirty, message: dirty, stack: dirty },
        startedAt: 1,
        finishedAt: 2,
        durationMs: 1,
      },
      items: [
        {
          ref: dirty,
          status: "error",
          message: dirty,
          errorCode: dirty,
          before: { s: dirty },
          after: dirty,
          attempt: 1,
          at: 1,
        },
      ],
      timeline: [{ type: "failed", data: { why: dirty }, at: 2 }],
    });
    const entries = await redis.xrange(keys.events("q", 0), "-", "+");
    const mine = entries.map(([, fields]) => fields).filter((f) => f[1] === job);
    expect(mine).toHaveLength(1);
    const decoded = decodeStreamEntry(mine[0] ?? []);
    expect(decoded).not.toBeNull();
    const clean = "a\\u0000b\uFFFD";
    expect(decoded?.snapshot).toMatchObject({
      message: clean,
      step: clean,
      output: { [clean]: [clean] },
      error: { code: clean, message: clean, stack: clean },
    });
    expect(decoded?.items[0]).toMatchObject({
      ref: clean,
      message: clean,
      errorCode: clean,
      before: { s: clean },
      after: clean,
    });
    expect(decoded?.timeline[0]?.data).toEqual({ why: clean });
  });

  it("sharded: a job's events and reserved numbers all go to its shard, and the layout is announced", async () => {
    const sharded = new EventPublisher(redis, prefix, 4);
    const jobs = Array.from({ length: 40 }, () => randomUUID());
    for (const job of jobs) {
      await sharded.publish("s", job, payload(1));
      expect(await sharded.reserve("s", job, 0, 1)).toBe(2);
      expect(await sharded.publish("s", job, payload(1))).toBe(3);
    }
    const shardsUsed = new Set(jobs.map((job) => shardOf(job, 4)));
    expect(shardsUsed.size).toBeGreaterThan(1);
    for (const shard of [0, 1, 2, 3]) {
      const entries = await redis.xrange(keys.events("s", shard), "-", "+");
      const decoded = entries.map(([, fields]) => decodeStreamEntry(fields));
      const expected = jobs.filter((job) => shardOf(job, 4) === shard);
      expect(new Set(decoded.map((e) => e?.jobId))).toEqual(new Set(expected));
      expect(decoded).toHaveLength(expected.length * 2);
    }
    expect(await redis.get(keys.mirrorShards())).toBe("4");
  });

  it("drops malformed stream entries instead of throwing", () => {
    expect(decodeStreamEntry(["j", "x", "s", "1", "d", "{not json"])).toBeNull();
    expect(decodeStreamEntry(["j", "x", "s", "NaN", "d", "{}"])).toBeNull();
    expect(
      decodeStreamEntry([
        "j",
        "x",
        "s",
        "1",
        "d",
        JSON.stringify({ snapshot: null, items: [{ ref: "" }], timeline: [] }),
      ]),
    ).toBeNull();
  });
});
