import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import type { GroupActionAnswer, GroupView } from "@jobstream/client";
import { it } from "./api-test.ts";
import { cli } from "./run-cli.ts";

describe("jobstream groups", () => {
  it("shows a group, cancels it and watches it to its end", async ({ sys, started: { env } }) => {
    const groupId = `cli-${randomUUID()}`;
    const job = { type: "synthetic", input: {}, delayMs: 3_600_000 };
    const batch = await sys.request("POST", "/v1/jobs/batch", {
      token: env.JOBSTREAM_TOKEN,
      body: { groupId, jobs: [job, job] },
    });
    expect(batch.status).toBe(202);

    const shown = await cli(["groups", groupId], env);
    expect([shown.code, shown.stderr]).toEqual([0, ""]);
    expect(JSON.parse(shown.stdout) as GroupView).toMatchObject({ id: groupId, total: 2, counts: { delayed: 2 } });

    const cancelled = await cli(["groups", groupId, "cancel"], env);
    expect((JSON.parse(cancelled.stdout) as GroupActionAnswer).done).toBe(2);
    // Every job is final: the watch prints the view once and exits 2 (cancelled), as `watch` of a job does.
    const watched = await cli(["groups", groupId, "watch"], env);
    expect(watched.code).toBe(2);
    expect((JSON.parse(watched.stdout) as GroupView).counts.cancelled).toBe(2);
  });

  it("exits 3 naming the API's refusal, 64 on bad usage", async ({ started: { env } }) => {
    const missing = await cli(["groups", randomUUID()], env);
    expect([missing.code, missing.stderr]).toEqual([3, expect.stringContaining("not_found")]);
    const bad = await cli(["groups", "g".repeat(201), "retry"], env);
    expect([bad.code, bad.stderr]).toEqual([3, expect.stringContaining("groupId")]);
    expect((await cli(["groups"], env)).code).toBe(64);
    expect((await cli(["groups", "g", "explode"], env)).code).toBe(64);
  });
});
