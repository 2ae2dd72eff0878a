import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { waitFor } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";

// Ten at a time: A's 4,000 jobs of 200 ms take minutes, so what the test reads is the order the
// queue hands jobs out in, not how fast a busy machine runs them.
const it = systemTest(async (sys) => {
  await sys.startApi();
  await sys.startWorker("work,mirror,housekeep", { CONCURRENCY_SYNTHETIC: "10" });
});

describe("fair share between orgs (one queue)", () => {
  it("runs a newcomer's jobs while most of another org's large backlog still waits", async ({ sys }) => {
    const orgA = randomUUID();
    const orgB = randomUUID();
    const a = await sys.token({ sub: randomUUID(), org: orgA, role: "member" });
    const b = await sys.token({ sub: randomUUID(), org: orgB, role: "member" });
    const work = { type: "synthetic", subtype: "work", input: { durationMs: 200 } };
    await sys.enqueueMany(a, 4000, () => work);
    const bIds = await sys.enqueueMany(b, 10, () => work);

    await waitFor(
      "B's ten jobs to complete",
      async () => {
        const [row] = await sys.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM jobs WHERE id = ANY($1::uuid[]) AND status = 'completed'`,
          [bIds],
        );
        return row?.n === 10 ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 100 },
    );
    const counts = await sys.query<{ status: string; n: number }>(
      `SELECT status::text, count(*)::int AS n FROM jobs WHERE org_id = $1 GROUP BY status`,
      [orgA],
    );
    const of = (status: string) => counts.find((c) => c.status === status)?.n ?? 0;
    // B's jobs shared the head of the queue with A's: A's backlog is nearly all still there.
    expect(of("queued") + of("pending"), JSON.stringify(counts)).toBeGreaterThan(3000);
  });
});
