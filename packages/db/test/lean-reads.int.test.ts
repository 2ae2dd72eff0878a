import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { findJobsByIds, listActiveJobs, listJobs } from "../src/index";
import { it, newJob } from "./fixtures";

describe("lists read no payloads unless asked", () => {
  it("leaves input and output out of list rows, active rows and summaries by id", async ({ db, pool }) => {
    const org = randomUUID();
    const job = newJob({ orgId: org, status: "running", input: { big: "x".repeat(1000) }, output: { done: true } });
    await db.job.create({ data: job });
    const scope = { orgId: org, userId: null };
    const [listed] = (await listJobs(pool, scope, {}, { limit: 10 })).jobs;
    expect(listed?.id).toBe(job.id);
    expect(listed).not.toHaveProperty("input");
    expect(listed).not.toHaveProperty("output");
    const [withData] = (await listJobs(pool, scope, {}, { limit: 10, withData: true })).jobs;
    expect(withData?.input).toEqual({ big: "x".repeat(1000) });
    expect(withData?.output).toEqual({ done: true });
    const window = { recentMinutes: 5, hours: 1, limit: 10 };
    const [active] = await listActiveJobs(pool, scope, window);
    expect(active?.id).toBe(job.id);
    expect(active).not.toHaveProperty("input");
    expect(active).not.toHaveProperty("output");
    const byId = await findJobsByIds(db, [job.id, randomUUID()]);
    expect(byId.full).toEqual([]);
    expect(byId.summaries.map((r) => r.id)).toEqual([job.id]);
    expect(byId.summaries[0]).not.toHaveProperty("output");
    const full = await findJobsByIds(db, [job.id], new Set([job.id]));
    expect(full.full[0]?.input).toEqual({ big: "x".repeat(1000) });
  });

  it("matches LIKE wildcards in the name search literally", async ({ db, pool }) => {
    const org = randomUUID();
    const names = ["100% done", "100 x done", "a_b", "axb", "back\\slash", "backslash"];
    await db.job.createMany({ data: names.map((name) => newJob({ orgId: org, name })) });
    const search = async (q: string) =>
      (await listJobs(pool, { orgId: org, userId: null }, { search: q }, { limit: 10 })).jobs.map((j) => j.name).sort();
    expect(await search("100%")).toEqual(["100% done"]);
    expect(await search("a_b")).toEqual(["a_b"]);
    expect(await search("k\\s")).toEqual(["back\\slash"]);
    expect(await search("%")).toEqual(["100% done"]);
    expect(await search("_")).toEqual(["a_b"]);
    expect(await search("DONE")).toEqual(["100 x done", "100% done"]);
  });
});
