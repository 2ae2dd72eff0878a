import { describe, expect, it } from "vitest";
import { mirrorBatchOf, runningSnapshot, type ItemOutcome, type MirrorEntry } from "./mirror-batch";

const running = runningSnapshot(1, 1);
const item = (ref: string, attempt: number, status: ItemOutcome["status"] = "success"): ItemOutcome => ({
  ref,
  status,
  message: null,
  errorCode: null,
  attempt,
  at: attempt,
});
const entry = (jobId: string, seq: number, change: Partial<MirrorEntry> = {}): MirrorEntry => ({
  jobId,
  seq,
  snapshot: { ...running, progress: seq },
  items: [],
  timeline: [],
  ...change,
});

describe("mirrorBatchOf", () => {
  it("gives nothing for no entries", () => {
    expect(mirrorBatchOf([])).toEqual({ jobs: [], items: [], events: [] });
  });

  it("keeps one update per job: its newest snapshot, whatever order the entries came in", () => {
    const { jobs } = mirrorBatchOf([entry("a", 3), entry("b", 1), entry("a", 5), entry("a", 4)]);
    expect(jobs.map((j) => [j.jobId, j.seq, j.snapshot.progress])).toEqual([
      ["b", 1, 1],
      ["a", 5, 5],
    ]);
  });

  it("skips entries without a snapshot when choosing the update", () => {
    const { jobs } = mirrorBatchOf([entry("a", 2), entry("a", 3, { snapshot: null })]);
    expect(jobs).toEqual([{ jobId: "a", seq: 2, snapshot: { ...running, progress: 2 } }]);
  });

  it("keeps one upsert per job and ref: the latest attempt, a later entry winning a tie", () => {
    const { items } = mirrorBatchOf([
      entry("a", 2, { items: [item("x", 2, "error"), item("y", 1)] }),
      entry("a", 3, { items: [item("x", 1)] }),
      entry("a", 4, { items: [item("y", 1, "skipped")] }),
      entry("b", 1, { items: [item("x", 1)] }),
    ]);
    expect(items.map((i) => [i.jobId, i.item.ref, i.item.attempt, i.item.status])).toEqual([
      ["b", "x", 1, "success"],
      ["a", "x", 2, "error"],
      ["a", "y", 1, "skipped"],
    ]);
  });

  it("numbers each timeline entry so that the last one carries the entry's sequence", () => {
    const started = { type: "started" as const, data: {}, at: 1 };
    const step = { type: "step" as const, data: { step: "load" }, at: 2 };
    const done = { type: "completed" as const, data: {}, at: 3 };
    const { events } = mirrorBatchOf([entry("a", 7, { timeline: [started, step, done] })]);
    expect(events).toEqual([
      { jobId: "a", seq: 5, entry: started },
      { jobId: "a", seq: 6, entry: step },
      { jobId: "a", seq: 7, entry: done },
    ]);
  });

  it("keeps every timeline entry, even of entries whose snapshot was superseded", () => {
    const at = (seq: number) => ({ type: "step" as const, data: { seq }, at: seq });
    const { jobs, events } = mirrorBatchOf([
      entry("a", 2, { timeline: [at(2)] }),
      entry("a", 1, { timeline: [at(1)] }),
    ]);
    expect(jobs).toHaveLength(1);
    expect(events.map((e) => e.seq)).toEqual([1, 2]);
  });
});
