import { describe, expect, it } from "vitest";
import { jobStatuses, type GroupView } from "@jobstream/client";
import { countsLine, groupExitCode } from "./groups.ts";

const none = Object.fromEntries(jobStatuses.map((status) => [status, 0])) as GroupView["counts"];
const group = (counts: Partial<GroupView["counts"]>): GroupView => ({
  id: "g",
  total: 0,
  counts: { ...none, ...counts },
  progress: 0,
  createdAt: "2026-11-29T00:00:00.000Z",
  finishedAt: null,
});

describe("groups command", () => {
  it("names the statuses that have jobs, in lifecycle order", () => {
    expect(countsLine(group({ failed: 1, queued: 2, completed: 8 }))).toBe("queued 2 · completed 8 · failed 1");
  });
  it.each([
    [{ completed: 3 }, 0],
    [{ completed: 3, cancelled: 1 }, 2],
    [{ completed: 3, cancelled: 1, failed: 1 }, 1],
  ])("exits like watch of a job: %o -> %i", (counts, code) => {
    expect(groupExitCode(group(counts))).toBe(code);
  });
});
