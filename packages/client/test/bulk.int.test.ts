import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { createClient, ValidationError } from "../src/index.ts";
import { it } from "./system-env.ts";

describe("client.jobs.bulk", () => {
  it("cancels every job a filter matches, and the bulk job reports it", async ({ sys, started }) => {
    const client = createClient({ baseUrl: sys.apiUrl, token: started.token });
    const tag = randomUUID();
    const job = { type: "synthetic", subtype: "work", input: {}, delayMs: 3_600_000 } as const;
    await client.jobs.enqueueBatch([{ ...job, metadata: { tag } }, { ...job, metadata: { tag } }, job]);
    // A dry run counts what the action would match and changes nothing.
    expect(await client.jobs.bulkDryRun("cancel", { metadata: { tag }, status: ["delayed"] })).toEqual({ matched: 2 });
    const untouched = [];
    for await (const summary of client.jobs.list({ metadata: { tag } })) untouched.push(summary.status);
    expect(untouched).toEqual(["delayed", "delayed"]);
    const bulk = await client.jobs.bulk("cancel", { metadata: { tag }, status: ["delayed"] });
    expect(bulk.matched).toBe(2);
    let last;
    for await (const view of client.jobs.watch(bulk.id)) last = view;
    expect(last?.output).toEqual({ done: 2, skipped: 0, batches: 1 });
    const cancelled = [];
    for await (const summary of client.jobs.list({ metadata: { tag } })) cancelled.push(summary.status);
    expect(cancelled).toEqual(["cancelled", "cancelled"]);
  });

  it("refuses an empty filter (400); a filter matching nothing starts a bulk job of 0", async ({ sys, started }) => {
    const client = createClient({ baseUrl: sys.apiUrl, token: started.token });
    await expect(client.jobs.bulk("delete", {})).rejects.toBeInstanceOf(ValidationError);
    await expect(client.jobs.bulkDryRun("delete", {})).rejects.toBeInstanceOf(ValidationError);
    const everything = await client.jobs.bulk("delete", { createdTo: "2000-01-01T00:00:00Z" });
    expect(everything.matched).toBe(0);
  });
});
