import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { waitFor } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";

/** The answer of `GET/PUT /v1/queues/:name/orgs/:orgId/limit` (the parts read here). */
interface OrgLimit {
  limit: number | null;
  running: number;
}

// Every org gets at most 3 synthetic jobs at once (the workers' default); an operator caps one org at 2.
const it = systemTest(async (sys) => {
  await sys.startApi();
  await sys.startWorker("work,mirror", { CONCURRENCY_SYNTHETIC: "10", ORG_CONCURRENCY_SYNTHETIC: "3" });
  return { operator: await sys.token({ sub: randomUUID(), org: randomUUID(), role: "operator" }) };
});

/** The most jobs that ran at the same time, from the rows' start and finish times. */
function mostAtOnce(rows: readonly { started_at: Date; completed_at: Date }[]): number {
  const edges = rows.flatMap((r) => [
    { at: r.started_at.getTime(), step: 1 },
    { at: r.completed_at.getTime(), step: -1 },
  ]);
  // A finish and a start at the same millisecond: the finish first (the slot was released before).
  edges.sort((x, y) => x.at - y.at || x.step - y.step);
  let now = 0;
  let most = 0;
  for (const edge of edges) {
    now += edge.step;
    most = Math.max(most, now);
  }
  return most;
}

describe("per-org concurrency caps", () => {
  it("never runs more of an org's jobs at once than its cap, the operator's or else the default", async ({
    sys,
    started,
  }) => {
    const capped = randomUUID();
    const other = randomUUID();
    const set = await sys.request<OrgLimit>("PUT", `/v1/queues/synthetic/orgs/${capped}/limit`, {
      token: started.operator,
      body: { limit: 2 },
    });
    expect(set.status).toBe(200);
    const work = { type: "synthetic", subtype: "work", input: { durationMs: 150 } };
    const ids = [
      ...(await sys.enqueueMany(await sys.token({ sub: randomUUID(), org: capped, role: "member" }), 12, () => work)),
      ...(await sys.enqueueMany(await sys.token({ sub: randomUUID(), org: other, role: "member" }), 12, () => work)),
    ];
    await waitFor(
      "every job to complete",
      async () => {
        const [row] = await sys.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM jobs WHERE id = ANY($1::uuid[]) AND status = 'completed'`,
          [ids],
        );
        return row?.n === ids.length ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 200 },
    );
    const rows = await sys.query<{ org_id: string; started_at: Date; completed_at: Date; attempts: number }>(
      `SELECT org_id::text, started_at, completed_at, attempts FROM jobs WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    expect(mostAtOnce(rows.filter((r) => r.org_id === capped))).toBeLessThanOrEqual(2);
    expect(mostAtOnce(rows.filter((r) => r.org_id === other))).toBeLessThanOrEqual(3);
    // Waiting for a slot spends no attempt.
    expect(rows.every((r) => r.attempts === 1)).toBe(true);
    // Every slot was given back.
    const after = await sys.request<OrgLimit>("GET", `/v1/queues/synthetic/orgs/${capped}/limit`, {
      token: started.operator,
    });
    expect(after.body).toMatchObject({ limit: 2, running: 0 });
  });
});
