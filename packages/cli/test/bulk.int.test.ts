import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { it } from "./api-test.ts";
import { cli } from "./run-cli.ts";

describe("jobstream bulk", () => {
  it("starts a bulk cancel of the jobs the filter flags match", async ({ sys, started: { env } }) => {
    const groupId = `cli-bulk-${randomUUID()}`;
    const job = { type: "synthetic", input: {}, delayMs: 3_600_000 };
    const batch = await sys.request("POST", "/v1/jobs/batch", {
      token: env.JOBSTREAM_TOKEN,
      body: { jobs: [{ ...job, groupId }, { ...job, groupId }, job] },
    });
    expect(batch.status).toBe(202);

    const counted = await cli(["bulk", "cancel", "--status", "delayed", "--group", groupId, "--dry-run"], env);
    expect([counted.code, counted.stdout]).toEqual([0, "matched 2\n"]);
    const bulkJobs = "SELECT 1 FROM jobs WHERE type = 'bulk' AND input->'filter'->>'groupId' = $1";
    expect(await sys.query(bulkJobs, [groupId])).toEqual([]);
    const started = await cli(["bulk", "cancel", "--status", "delayed", "--group", groupId], env);
    expect([started.code, started.stderr]).toEqual([0, ""]);
    const [id, word, matched] = started.stdout.trim().split(" ");
    expect([word, matched]).toEqual(["matched", "2"]);
    // No worker runs here (the client's and the API's tests see it through): the bulk job is stored.
    const shown = await cli(["get", String(id)], env);
    expect(JSON.parse(shown.stdout)).toMatchObject({ type: "bulk", subtype: "cancel" });
  });

  it("exits 3 naming the refused field, 64 on bad usage", async ({ started: { env } }) => {
    const empty = await cli(["bulk", "delete"], env);
    expect([empty.code, empty.stderr]).toEqual([3, expect.stringContaining("filter")]);
    expect((await cli(["bulk", "purge", "--type", "x"], env)).code).toBe(64);
    expect((await cli(["bulk", "cancel", "--status", "done"], env)).code).toBe(64);
  });
});
