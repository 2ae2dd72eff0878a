import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { createClient, ValidationError } from "../src/index.ts";
import { it as systemTest } from "./system-env.ts";

/** A client of the file's admin. */
const it = systemTest.extend("client", { scope: "file" }, ({ sys, started }) =>
  createClient({ baseUrl: sys.apiUrl, token: started.token }),
);

describe("the operator console's reads from @jobstream/client", () => {
  it("lists the jobs whose metadata contains an object, and the time series they make", async ({ client }) => {
    const tag = randomUUID();
    const tagged = await client.jobs.enqueue({
      type: "synthetic",
      subtype: "noop",
      input: {},
      metadata: { tag, shop: { id: 7 } },
    });
    await client.jobs.enqueue({ type: "synthetic", subtype: "noop", input: {}, metadata: { tag: "other" } });
    const found: string[] = [];
    for await (const job of client.jobs.list({ metadata: { shop: { id: 7 }, tag } })) found.push(job.id);
    expect(found).toEqual([tagged.job.id]);

    const series = await client.stats.timeseries({ bucket: "1d", type: "synthetic" });
    expect(series.buckets.length).toBeGreaterThan(0);
    expect(series.buckets.reduce((n, b) => n + b.created, 0)).toBeGreaterThanOrEqual(2);
    await expect(client.stats.timeseries({ from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z" })).rejects.toThrow(
      ValidationError,
    );
  });
});
