import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { waitFor } from "@jobstream/testing";
import { replicatedSystemTest } from "@jobstream/testing/fixtures";
import { createClient } from "../src/index.ts";
import { SYSTEM_ENV } from "./system-env.ts";

/** The API reading from a streaming replica (docs/replicas.md); replay is paused to make it lag. */
const it = replicatedSystemTest(async (sys, replica) => {
  await sys.startApi({ ...SYSTEM_ENV, DATABASE_READ_URL: replica.readUrl, REPLICA_MAX_LAG_MS: "600000" });
  await waitFor("the replica to serve reads", async () => {
    const ready = (await (await fetch(`${sys.apiUrl}/readyz`)).json()) as { checks: { replica?: string } };
    return ready.checks.replica === "ok";
  });
  return { token: await sys.token({ sub: randomUUID(), org: randomUUID(), role: "member" }) };
});

describe("client on an API with a read replica", () => {
  it("sees the job it just enqueued, however far the replica is behind", async ({ sys, replica, started }) => {
    const client = createClient({ baseUrl: sys.apiUrl, token: started.token });
    await replica.replay("pause");
    try {
      const { job } = await client.jobs.enqueue({ type: "synthetic", subtype: "work", input: {}, delayMs: 3_600_000 });
      expect((await client.jobs.get(job.id)).id).toBe(job.id);
      const listed = [];
      for await (const summary of client.jobs.list({ status: ["delayed"] })) listed.push(summary.id);
      expect(listed).toContain(job.id);
      expect((await client.jobs.events(job.id)).events.map((e) => e.type)).toContain("created");
    } finally {
      await replica.replay("resume");
    }
  });
});
