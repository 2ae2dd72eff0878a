import { describe, expect, it } from "vitest";
import type { MirrorEntry } from "@jobstream/db";
import { applyIsolating, NO_JOB_ROW, type SourcedEntry } from "./apply-isolating";

const entry = (n: number): SourcedEntry => ({
  queue: "q",
  streamId: `${n}-0`,
  fields: ["j", `job-${n}`],
  entry: { jobId: `job-${n}`, seq: n, snapshot: null, items: [], timeline: [] },
});
const dataError = Object.assign(new Error("invalid input syntax for type uuid"), { code: "22P02" });

/** Stands in for the batch statement: refuses any batch holding a poisoned job, records what applied. */
function statement(poisoned: Set<string>, missing = new Set<string>()) {
  const applied: string[] = [];
  let calls = 0;
  const apply = (entries: MirrorEntry[]) => {
    calls++;
    if (entries.some((e) => poisoned.has(e.jobId))) return Promise.reject(dataError);
    applied.push(...entries.map((e) => e.jobId));
    return Promise.resolve({ missingJobIds: entries.map((e) => e.jobId).filter((id) => missing.has(id)) });
  };
  return { apply, applied, calls: () => calls };
}

describe("applyIsolating", () => {
  const entries = Array.from({ length: 10 }, (_, i) => entry(i));

  it("applies a clean batch in one statement", async () => {
    const s = statement(new Set());
    expect(await applyIsolating(s.apply, entries)).toEqual([]);
    expect(s.calls()).toBe(1);
    expect(s.applied).toHaveLength(10);
  });

  it.each([[["job-0"]], [["job-9"]], [["job-3", "job-4"]], [["job-0", "job-5", "job-9"]]])(
    "isolates %j and applies every other entry",
    async (bad) => {
      const s = statement(new Set(bad));
      const rejected = await applyIsolating(s.apply, entries);
      expect(rejected.map((r) => r.fields[1])).toEqual(bad);
      expect(rejected[0]?.error).toContain("invalid input syntax");
      expect(s.applied.sort()).toEqual(
        entries
          .map((e) => e.entry.jobId)
          .filter((id) => !bad.includes(id))
          .sort(),
      );
    },
  );

  it("sets aside entries of jobs without a row", async () => {
    const s = statement(new Set(), new Set(["job-2"]));
    const rejected = await applyIsolating(s.apply, entries);
    expect(rejected).toEqual([{ queue: "q", streamId: "2-0", fields: ["j", "job-2"], error: NO_JOB_ROW }]);
  });

  it("rethrows an outage instead of blaming the entries", async () => {
    const outage = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    await expect(applyIsolating(() => Promise.reject(outage), entries)).rejects.toBe(outage);
    let calls = 0;
    const flaky = () => (++calls === 1 ? Promise.reject(dataError) : Promise.reject(outage));
    await expect(applyIsolating(flaky, entries)).rejects.toBe(outage);
  });
});
