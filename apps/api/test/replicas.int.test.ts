import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { openSse, waitFor, type System } from "@jobstream/testing";
import { replicatedSystemTest } from "@jobstream/testing/fixtures";

/**
 * The API on a private primary with DATABASE_READ_URL naming its streaming replica. Replay on the
 * replica is paused to tell the two apart: a read the replica serves misses rows written since.
 * A large REPLICA_MAX_LAG_MS keeps a paused replica `ok` (lag fallback has its own API below).
 */
const it = replicatedSystemTest(async (sys, replica) => {
  const readEnv = { DATABASE_READ_URL: replica.readUrl, REPLICA_CHECK_MS: "100", REPLICA_READ_WAIT_MS: "100" };
  await sys.startApi({ ...readEnv, REPLICA_MAX_LAG_MS: "600000" });
  const org = randomUUID();
  return {
    readEnv,
    org,
    writer: await sys.token({ sub: randomUUID(), org, role: "member" }),
    admin: await sys.token({ sub: randomUUID(), org, role: "admin" }),
  };
});

const job = { type: "synthetic", subtype: "work", input: {}, delayMs: 3_600_000 };
interface Readyz {
  checks: Record<string, string>;
  replica: { status: string; lagMs: number | null };
}

const listedIds = async (sys: System, token: string, headers: Record<string, string> = {}, base = sys.apiUrl) => {
  const res = await fetch(`${base}/v1/jobs?limit=100`, { headers: { authorization: `Bearer ${token}`, ...headers } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { jobs: { id: string }[] }).jobs.map((j) => j.id);
};

const replicaState = (sys: System, base = sys.apiUrl) =>
  fetch(`${base}/readyz`).then(async (res) => ({ status: res.status, body: (await res.json()) as Readyz }));

const waitForReplica = (sys: System, state: string, base = sys.apiUrl) =>
  waitFor(`replica ${state}`, async () => (await replicaState(sys, base)).body.checks.replica === state, {
    timeoutMs: 30_000,
  });

describe("read replica", () => {
  it("serves other callers' lists from the replica; the writer reads its own writes", async ({
    sys,
    replica,
    started,
  }) => {
    await waitForReplica(sys, "ok");
    await replica.replay("pause");
    try {
      const res = await fetch(`${sys.apiUrl}/v1/jobs`, {
        method: "POST",
        headers: { authorization: `Bearer ${started.writer}`, "content-type": "application/json" },
        body: JSON.stringify(job),
      });
      expect(res.status).toBe(202);
      const id = ((await res.json()) as { job: { id: string } }).job.id;
      const consistency = res.headers.get("x-jobstream-consistency");
      expect(consistency).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);

      // The admin wrote nothing: its list comes from the paused replica, which has not seen the job.
      expect(await listedIds(sys, started.admin)).not.toContain(id);
      // The writer reads its own write (the replica is behind it: the primary answers).
      expect(await listedIds(sys, started.writer)).toContain(id);
      expect((await sys.request("GET", `/v1/jobs/${id}`, { token: started.writer })).status).toBe(200);
      // Anyone presenting the writer's position sees it too; a job not on the replica yet is found on the primary.
      expect(await listedIds(sys, started.admin, { "x-jobstream-consistency": consistency ?? "" })).toContain(id);
      expect((await sys.request("GET", `/v1/jobs/${id}`, { token: started.admin })).status).toBe(200);
      // A stream's first state is as fresh as the primary.
      const sse = await openSse(`${sys.apiUrl}/v1/jobs/${id}/stream`, { authorization: `Bearer ${started.admin}` });
      await sse.waitFor("the job's state", (events) => events.some((e) => (e.data as { id?: string }).id === id));
      sse.close();

      const metrics = await (await fetch(`${sys.apiUrl}/metrics`)).text();
      expect(metrics).toMatch(/jobstream_reads_total\{target="replica",reason="caught_up"\} [1-9]/);
      expect(metrics).toMatch(/jobstream_reads_total\{target="primary",reason="behind"\} [1-9]/);
      expect(metrics).toMatch(/jobstream_replica_up 1/);
    } finally {
      await replica.replay("resume");
    }
  });

  it("refuses a malformed consistency header with a 400 naming it", async ({ sys, started }) => {
    const res = await sys.request<{ error: { code: string; details: { path: string }[] } }>("GET", "/v1/jobs", {
      token: started.admin,
      headers: { "x-jobstream-consistency": "yesterday" },
    });
    expect([res.status, res.body.error.code, res.body.error.details[0]?.path]).toEqual([
      400,
      "validation_failed",
      "headers.x-jobstream-consistency",
    ]);
  });

  it("caps a consistency header beyond the primary's position: no wait for WAL never written", async ({
    sys,
    replica,
    started,
  }) => {
    // Waiting long: a read that waited for the header's position as given would end "behind" after 10 s.
    const patient = await sys.startExtraApi({ ...started.readEnv, REPLICA_READ_WAIT_MS: "10000" });
    await waitForReplica(sys, "ok", patient.url);
    const { id } = await sys.enqueue(started.writer, job);
    await replica.caughtUp();
    const reads = async (): Promise<string[]> =>
      (await (await fetch(`${patient.url}/metrics`)).text()).match(/^jobstream_reads_total\{.*/gm) ?? [];
    const before = await reads();
    const ids = await Promise.all(
      [1, 2, 3].map(() =>
        listedIds(sys, started.admin, { "x-jobstream-consistency": "FFFFFFFF/FFFFFFFF" }, patient.url),
      ),
    );
    for (const listed of ids) expect(listed).toContain(id);
    // Served by the replica once it had what the primary has (capped), never given up on ("behind").
    const after = await reads();
    expect(after.filter((line) => !before.includes(line)).join("\n")).toMatch(
      /target="replica",reason="(caught_up|waited)"/,
    );
    expect(after.some((line) => line.includes('reason="behind"') && !line.endsWith(" 0"))).toBe(false);
  });

  it("reads the primary while the replica lags beyond REPLICA_MAX_LAG_MS", async ({ sys, replica, started }) => {
    const strict = await sys.startExtraApi({ ...started.readEnv, REPLICA_MAX_LAG_MS: "300" });
    await waitForReplica(sys, "ok", strict.url);
    await replica.replay("pause");
    try {
      const { id } = await sys.enqueue(started.writer, job);
      await waitForReplica(sys, "lagging", strict.url);
      const ready = await replicaState(sys, strict.url);
      expect(ready.status).toBe(200);
      expect(ready.body.replica.lagMs).toBeGreaterThan(300);
      expect(await listedIds(sys, started.admin, {}, strict.url)).toContain(id);
    } finally {
      await replica.replay("resume");
    }
    await waitForReplica(sys, "ok", strict.url);
  });

  it("falls back to the primary while the replica is stopped, and uses it again once back", async ({
    sys,
    replica,
    started,
  }) => {
    const { id: before } = await sys.enqueue(started.writer, job);
    await replica.replica.stop("immediate");
    try {
      // Reads keep answering from the primary (no 500), whether or not a probe noticed yet.
      expect(await listedIds(sys, started.admin)).toContain(before);
      for (const path of ["/v1/jobs/active", "/v1/stats/queues", "/v1/stats/types", "/v1/stats/timeseries"])
        expect([path, (await sys.request("GET", path, { token: started.admin })).status]).toEqual([path, 200]);
      await waitForReplica(sys, "down");
      const ready = await replicaState(sys);
      // Degraded, not unready: the primary serves every read meanwhile.
      expect([ready.status, ready.body.replica.status, ready.body.checks.postgres]).toEqual([200, "down", "ok"]);
      const { id: during } = await sys.enqueue(started.writer, job);
      expect(await listedIds(sys, started.admin)).toContain(during);
    } finally {
      await replica.replica.start();
    }
    await replica.caughtUp();
    await waitForReplica(sys, "ok");
    // Used again: with replay paused, a new job is missing from the admin's list.
    await replica.replay("pause");
    try {
      const { id: after } = await sys.enqueue(started.writer, job);
      expect(await listedIds(sys, started.admin)).not.toContain(after);
      expect(await listedIds(sys, started.writer)).toContain(after);
    } finally {
      await replica.replay("resume");
    }
  });
});
