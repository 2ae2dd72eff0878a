import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { newJobRow } from "../src/test-rows";
import { it } from "./fixtures";
import {
  applyMirrorBatch,
  createPool,
  insertPendingJobs,
  isDataError,
  listDeadLetters,
  recordDeadLetters,
} from "../src/index";

const letter = (n: number) => ({
  queue: "q",
  streamId: `${n}-0`,
  jobId: n % 2 === 0 ? null : "5",
  raw: JSON.stringify({ j: "5", d: "a\u0000" }),
  error: `bad ${n}`,
});

describe("dead letters", () => {
  it("stores each entry once and returns only those stored now", async ({ pool }) => {
    const first = await recordDeadLetters(pool, [letter(1), letter(2)]);
    expect(first.map((l) => l.streamId)).toEqual(["1-0", "2-0"]);
    const again = await recordDeadLetters(pool, [letter(2), letter(3)]);
    expect(again.map((l) => l.streamId)).toEqual(["3-0"]);
    expect(again[0]).toMatchObject({ queue: "q", jobId: "5", raw: '{"j":"5","d":"a\\u0000"}', error: "bad 3" });
  });

  it("pages newest first", async ({ pool }) => {
    const page1 = await listDeadLetters(pool, { limit: 2 });
    expect(page1.map((l) => l.streamId)).toEqual(["3-0", "2-0"]);
    const page2 = await listDeadLetters(pool, { limit: 2, beforeId: page1.at(-1)?.id });
    expect(page2.map((l) => l.streamId)).toEqual(["1-0"]);
  });

  it("a batch reports the jobs it names that have no row, and applies the others", async ({ pool }) => {
    const r = newJobRow({ retentionSeconds: 60 });
    await insertPendingJobs(pool, [r]);
    const ghost = randomUUID();
    const timeline = [{ type: "started" as const, data: {}, at: Date.now() }];
    const result = await applyMirrorBatch(pool, [
      { jobId: r.id, seq: 1, snapshot: null, items: [], timeline },
      {
        jobId: ghost,
        seq: 1,
        snapshot: null,
        items: [{ ref: "a", status: "success", message: null, errorCode: null, attempt: 1, at: Date.now() }],
        timeline,
      },
    ]);
    expect(result.missingJobIds).toEqual([ghost]);
    expect(result.eventsInserted).toBe(1);
  });

  it("Postgres' refusals of poison data are data errors (what the mirror isolates)", async ({ pool }) => {
    const nul = await pool.query(`SELECT $1::jsonb`, ['{"a":"\\u0000"}']).catch((e: unknown) => e);
    const uuid = await pool.query(`SELECT $1::uuid`, ["5"]).catch((e: unknown) => e);
    expect(isDataError(nul)).toBe(true);
    expect(isDataError(uuid)).toBe(true);
  });

  it("an outage is not a data error (the mirror retries instead of dead-lettering)", async ({ pool }) => {
    // Nothing listens on port 1: connection refused.
    const unreachable = createPool({ connectionString: "postgres://postgres@127.0.0.1:1/none", max: 1 });
    const refused = await unreachable.query("SELECT 1").catch((e: unknown) => e);
    await unreachable.end();
    expect(refused).toBeInstanceOf(Error);
    expect(isDataError(refused)).toBe(false);

    // A server that ends the session (as on shutdown): 57P01 or a terminated connection.
    const client = await pool.connect();
    client.on("error", () => undefined);
    const [{ pid }] = (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows as [{ pid: number }];
    await pool.query("SELECT pg_terminate_backend($1)", [pid]);
    const terminated = await client.query("SELECT 1").catch((e: unknown) => e);
    client.release(true);
    expect(terminated).toBeInstanceOf(Error);
    expect(isDataError(terminated)).toBe(false);
  });
});
