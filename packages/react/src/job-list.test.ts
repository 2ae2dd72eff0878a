import type { JobSummary } from "@jobstream/client";
import { describe, expect, it } from "vitest";
import * as jobList from "./job-list.ts";

let n = 0;
function job(overrides: Partial<JobSummary> = {}): JobSummary {
  n += 1;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    type: "synthetic",
    subtype: "work",
    name: `job ${String(n)}`,
    status: "queued",
    priority: 50,
    attempts: 0,
    maxAttempts: 3,
    progress: { percent: 0, message: null, step: null },
    items: { total: 0, processed: 0, failed: 0, skipped: 0 },
    error: null,
    parentId: null,
    groupId: null,
    scheduleId: null,
    metadata: {},
    createdAt: "2026-11-29T10:00:00.000Z",
    queuedAt: "2026-11-29T10:00:00.100Z",
    startedAt: null,
    completedAt: null,
    cancelledAt: null,
    durationMs: null,
    expiresAt: null,
    ...overrides,
  };
}
const at = (minute: number) => `2026-11-29T10:${String(minute).padStart(2, "0")}:00.000Z`;

describe("jobList.matchesFilter", () => {
  it("checks type, subtype, status (one or several), group, parent and name", () => {
    const j = job({ type: "import", subtype: "csv", status: "running", groupId: "g", name: "Nightly Import" });
    expect(jobList.matchesFilter(j, {})).toBe(true);
    expect(jobList.matchesFilter(j, { type: "import", subtype: "csv", groupId: "g", q: "nightly" })).toBe(true);
    expect(jobList.matchesFilter(j, { status: ["queued", "running"] })).toBe(true);
    expect(jobList.matchesFilter(j, { status: "queued" })).toBe(false);
    expect(jobList.matchesFilter(j, { type: "export" })).toBe(false);
    expect(jobList.matchesFilter(j, { subtype: "xml" })).toBe(false);
    expect(jobList.matchesFilter(j, { groupId: "h" })).toBe(false);
    expect(jobList.matchesFilter(j, { scheduleId: "00000000-0000-4000-8000-000000000001" })).toBe(false);
    expect(
      jobList.matchesFilter(
        { ...j, scheduleId: "00000000-0000-4000-8000-000000000001" },
        { scheduleId: "00000000-0000-4000-8000-000000000001" },
      ),
    ).toBe(true);
    expect(jobList.matchesFilter(j, { parentId: j.id })).toBe(false);
    expect(jobList.matchesFilter(j, { q: "export" })).toBe(false);
    // Summaries carry no user: a user filter cannot be checked, so live jobs are not added.
    expect(jobList.matchesFilter(j, { userId: "u" })).toBe(false);
    // Nor metadata.
    expect(jobList.matchesFilter(j, { metadata: { customer: "acme" } })).toBe(false);
  });
});

describe("job list merging", () => {
  const older = job({ createdAt: at(1) });
  const newer = job({ createdAt: at(2) });
  const page = { jobs: [newer, older], nextCursor: "c1" };

  it("replaces a row shown with its new state, in place", () => {
    const running = { ...older, status: "running" as const, startedAt: at(3) };
    const next = jobList.applyChange(jobList.listFromPage(page), running, {}, "insert");
    expect(next.rows.map((r) => r.status)).toEqual(["queued", "running"]);
    expect(next.rows[1]).toBe(running);
  });

  it("keeps a row that stops matching the filters, updated, so the list does not shift", () => {
    const done = { ...newer, status: "completed" as const, completedAt: at(4) };
    const next = jobList.applyChange(jobList.listFromPage(page), done, { status: "queued" }, "insert");
    expect(next.rows.map((r) => r.id)).toEqual([newer.id, older.id]);
    expect(next.rows[0]?.status).toBe("completed");
  });

  it("inserts a new matching job at the top, or announces it", () => {
    const fresh = job({ createdAt: at(5) });
    const inserted = jobList.applyChange(jobList.listFromPage(page), fresh, {}, "insert");
    expect(inserted.rows.map((r) => r.id)).toEqual([fresh.id, newer.id, older.id]);
    const announced = jobList.applyChange(jobList.listFromPage(page), fresh, {}, "announce");
    expect(announced.rows.map((r) => r.id)).toEqual([newer.id, older.id]);
    expect(announced.incoming.map((r) => r.id)).toEqual([fresh.id]);
    // Its later states update the announcement, not a second one.
    const running = jobList.applyChange(announced, { ...fresh, status: "running", startedAt: at(6) }, {}, "announce");
    expect(running.incoming.map((r) => r.status)).toEqual(["running"]);
    const shown = jobList.showIncoming(running);
    expect(shown.rows.map((r) => r.id)).toEqual([fresh.id, newer.id, older.id]);
    expect(shown.incoming).toEqual([]);
  });

  it("ignores jobs the filters exclude and older jobs not loaded", () => {
    const list = jobList.listFromPage(page);
    expect(jobList.applyChange(list, job({ createdAt: at(5), type: "other" }), { type: "synthetic" }, "insert")).toBe(
      list,
    );
    expect(jobList.applyChange(list, job({ createdAt: at(0) }), {}, "insert")).toBe(list);
  });

  it("adds to an empty list only when it is complete", () => {
    const fresh = job({ createdAt: at(5) });
    expect(jobList.applyChange(jobList.listFromPage({ jobs: [], nextCursor: null }), fresh, {}, "insert").rows).toEqual(
      [fresh],
    );
    const unknown = jobList.listFromPage({ jobs: [], nextCursor: "c" });
    expect(jobList.applyChange(unknown, fresh, {}, "insert")).toBe(unknown);
  });

  it("appends further pages without repeating a job", () => {
    const list = jobList.applyChange(jobList.listFromPage(page), job({ createdAt: at(5) }), {}, "insert");
    const third = job({ createdAt: at(0) });
    const next = jobList.appendPage(list, { jobs: [older, third], nextCursor: null });
    expect(next.rows.map((r) => r.id)).toEqual([list.rows[0]?.id, newer.id, older.id, third.id]);
    expect(next.nextCursor).toBeNull();
  });

  it("applies changes streamed while the first page loaded only where they are not older", () => {
    const startedEarly = { ...older, status: "running" as const, startedAt: at(3) };
    const readLater = { ...older, status: "completed" as const, startedAt: at(3), completedAt: at(4) };
    // The page was read after the job completed; the held "running" is older and must not win.
    const settled = jobList.settleFirstPage(
      { jobs: [newer, readLater], nextCursor: null },
      [startedEarly],
      {},
      "insert",
    );
    expect(settled.rows[1]?.status).toBe("completed");
    // The page was read before it started; the held change is newer and applies.
    const caughtUp = jobList.settleFirstPage({ jobs: [newer, older], nextCursor: null }, [startedEarly], {}, "insert");
    expect(caughtUp.rows[1]?.status).toBe("running");
    // A job created while the page loaded is added.
    const created = job({ createdAt: at(9) });
    expect(jobList.settleFirstPage(page, [created], {}, "insert").rows[0]?.id).toBe(created.id);
  });

  it("orders states by the latest moment they record; progress inside a run ties", () => {
    const queued = job();
    const running = { ...queued, status: "running" as const, startedAt: at(3) };
    const further = { ...running, progress: { percent: 40, message: null, step: null } };
    const retried = { ...running, status: "queued" as const, startedAt: null, queuedAt: at(7) };
    expect(jobList.isNotOlder(running, queued)).toBe(true);
    expect(jobList.isNotOlder(queued, running)).toBe(false);
    expect(jobList.isNotOlder(further, running)).toBe(true);
    expect(jobList.isNotOlder(running, further)).toBe(true);
    expect(jobList.isNotOlder(retried, { ...running, status: "failed", completedAt: at(5) })).toBe(true);
  });
});

describe("active jobs", () => {
  const now = Date.parse(at(30));
  const keep = 5 * 60_000;

  it("adds and replaces jobs, and drops finished ones after keepFinishedMs", () => {
    const a = job({ createdAt: at(20), status: "running", startedAt: at(21) });
    const b = job({ createdAt: at(22) });
    let jobs = jobList.applyActiveChange(new Map(), a, now, keep);
    jobs = jobList.applyActiveChange(jobs, b, now, keep);
    expect(jobList.activeSummary(jobs)).toMatchObject({ running: 1, waiting: 1 });
    expect(jobList.activeSummary(jobs).jobs.map((j) => j.id)).toEqual([b.id, a.id]);
    jobs = jobList.applyActiveChange(jobs, { ...a, status: "completed", completedAt: at(29) }, now, keep);
    expect(jobList.activeSummary(jobs)).toMatchObject({ running: 0, waiting: 1 });
    expect(jobs.size).toBe(2); // finished a minute ago: still shown
    expect(jobList.pruneActive(jobs, now + keep, keep).size).toBe(1);
  });

  it("keeps a freshly read state over an older change that arrived while it loaded", () => {
    const a = job({ status: "completed", startedAt: at(21), completedAt: at(25) });
    const jobs = new Map([[a.id, a]]);
    const stale = { ...a, status: "running" as const, completedAt: null };
    expect(jobList.applyActiveChange(jobs, stale, now, keep, true).get(a.id)?.status).toBe("completed");
    expect(jobList.applyActiveChange(jobs, stale, now, keep).get(a.id)?.status).toBe("running");
  });
});
