import { randomUUID } from "node:crypto";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  applyMirrorBatch,
  createPool,
  insertPendingJobs,
  isDataError,
  listDeadLetters,
  recordDeadLetters,
  type NewJobRow,
} from "../src/index";
import { createTestDatabase, type TestDatabase } from "../src/test-database";
import { ADMIN_URL } from "./env";

let database: TestDatabase;
let pool: pg.Pool;

beforeAll(async () => {
  database = await createTestDatabase(ADMIN_URL);
  pool = createPool({ connectionString: database.url, max: 2 });
});
afterAll(async () => {
  await pool.end();
  await database.drop();
});

const letter = (n: number) => ({
  queue: "q",
  streamId: `${n}-0`,
  jobId: n % 2 === 0 ? null : "5",
  raw: JSON.stringify({ j: "5", d: "a\u0000" }),
  error: `bad ${n}`,
});

describe("dead letters", () => {
  it("stores each entry once and returns only those stored now", async () => {
    const first = await recordDeadLetters(pool, [letter(1), letter(2)]);
    expect(first.map((l) => l.streamId)).toEqual(["1-0", "2-0"]);
    const again = await recordDeadLetters(pool, [letter(2), letter(3)]);
    expect(again.map((l) => l.streamId)).toEqual(["3-0"]);
    expect(again[0]).toMatchObject({ queue: "q", jobId: "5", raw: '{"j":"5","d":"a\\u0000"}', error: "bad 3" });
  });

  it("pages newest first", async () => {
    const page1 = await listDeadLetters(pool, { limit: 2 });
    expect(page1.map((l) => l.streamId)).toEqual(["3-0", "2-0"]);
    const page2 = await listDeadLetters(pool, { limit: 2, beforeId: page1.at(-1)?.id });
    expect(page2.map((l) => l.streamId)).toEqual(["1-0"]);
  });

  it("a batch reports the jobs it names that have no row, and applies the others", async () => {
    const r: NewJobRow = {
      id: randomUUID(),
      orgId: randomUUID(),
      userId: null,
      type: "synthetic",
      subtype: "work",
      name: "t",
      queue: "synthetic",
      idempotencyKey: null,
      parentId: null,
      groupId: null,
      priority: 50,
      maxAttempts: 3,
      input: {},
      metadata: {},
      options: {},
      accessTokenHash: null,
      runAt: null,
      retentionSeconds: 60,
      createdAt: new Date(),
    };
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

  it("Postgres' refusals of poison data are data errors (what the mirror isolates)", async () => {
    const nul = await pool.query(`SELECT $1::jsonb`, ['{"a":"\\u0000"}']).catch((e: unknown) => e);
    const uuid = await pool.query(`SELECT $1::uuid`, ["5"]).catch((e: unknown) => e);
    expect(isDataError(nul)).toBe(true);
    expect(isDataError(uuid)).toBe(true);
  });

  it("an outage is not a data error (the mirror retries instead of dead-lettering)", async () => {
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
