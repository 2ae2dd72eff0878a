import { randomUUID } from "node:crypto";
import pg from "pg";
import { applyMirrorBatch, insertJobs, type MirrorEntry, type NewJobRow } from "@jobstream/db";
import { newJobRow } from "@jobstream/db/testing";
import { testDatabase } from "@jobstream/testing";

export interface DbFloorResult {
  readonly jobsPerSec: number;
  readonly seconds: number;
}

const BATCH = 1000;

function newRows(orgId: string, count: number): NewJobRow[] {
  const createdAt = new Date();
  return Array.from({ length: count }, () =>
    newJobRow({
      orgId,
      subtype: "noop",
      name: "synthetic/noop",
      input: { items: 10 },
      options: { backoff: { type: "exponential", delayMs: 1000 }, timeoutMs: 600_000, attemptsPerRun: 3 },
      accessTokenHash: randomUUID().replaceAll("-", ""),
      createdAt,
    }),
  );
}

/** What a worker publishes for a short job: one entry with its final snapshot, items and timeline. */
function finishedEntry(jobId: string, items: number): MirrorEntry {
  const at = Date.now();
  return {
    jobId,
    seq: 2,
    snapshot: {
      status: "completed",
      attempts: 1,
      progress: 100,
      message: null,
      step: null,
      total: items,
      output: { items },
      error: null,
      startedAt: at - 2,
      finishedAt: at,
      durationMs: 2,
    },
    items: Array.from({ length: items }, (_, i) => ({
      ref: `item-${String(i)}`,
      status: "success" as const,
      message: null,
      errorCode: null,
      attempt: 1,
      at,
    })),
    timeline: [
      { type: "started", data: { attempt: 1 }, at: at - 2 },
      { type: "completed", data: {}, at },
    ],
  };
}

/**
 * The pipeline's Postgres work alone, with the same repository functions and batch sizes: store
 * N jobs as queued (`insertJobs`), and apply each job's final
 * event with its items (`applyMirrorBatch`) — no HTTP, Redis, BullMQ or handlers. Enqueueing and
 * mirroring run concurrently, as the API and the mirror do. What Postgres can absorb here bounds
 * the pipeline from above.
 */
export async function runDbFloor(n: number, items: number): Promise<DbFloorResult> {
  const database = await testDatabase();
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  try {
    const orgId = randomUUID();
    const stored: string[][] = [];
    let enqueued = 0;
    // The mirror side waits here for the next stored batch.
    const signal: { wake: () => void } = { wake: () => undefined };
    const started = performance.now();
    let failed: unknown = null;
    const enqueue = (async () => {
      for (let sent = 0; sent < n; sent += BATCH) {
        const rows = newRows(orgId, Math.min(BATCH, n - sent));
        // Stored as queued, as the API stores what it adds to Redis next.
        await insertJobs(pool, rows, () => "queued");
        stored.push(rows.map((r) => r.id));
        enqueued += rows.length;
        signal.wake();
      }
    })().catch((error: unknown) => {
      failed = error;
      signal.wake();
    });
    let mirrored = 0;
    while (mirrored < n) {
      if (failed !== null)
        throw failed instanceof Error ? failed : new Error("db floor: storing jobs failed", { cause: failed });
      const ids = stored.shift();
      if (ids === undefined) {
        await new Promise<void>((resolve) => {
          signal.wake = resolve;
        });
        continue;
      }
      // One statement, as the mirror runs it (no transaction around it).
      await applyMirrorBatch(
        pool,
        ids.map((id) => finishedEntry(id, items)),
      );
      mirrored += ids.length;
    }
    await enqueue;
    const seconds = (performance.now() - started) / 1000;
    const { rows } = await pool.query<{ jobs: number; items: number }>(
      `SELECT (SELECT count(*)::int FROM jobs WHERE status = 'completed') AS jobs,
              (SELECT count(*)::int FROM job_items) AS items`,
    );
    if (rows[0]?.jobs !== n || rows[0].items !== n * items || enqueued !== n)
      throw new Error(`db floor: ${JSON.stringify(rows[0])} rows for ${String(n)} jobs`);
    return { jobsPerSec: n / seconds, seconds };
  } finally {
    await pool.end();
    await database.drop();
  }
}
