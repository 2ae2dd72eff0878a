import { describe, expect, it } from "vitest";
import { jobSummarySchema } from "@jobstream/contract";
import { Prisma, type Job, type JobViewRow, type NewJobRow } from "@jobstream/db";
import { jobViewSchema, newJobView, summaryOf, toJobSummary, toJobView } from "./job-view";

const at = (s: number) => new Date(Date.UTC(2026, 10, 29, 7, 0, s));

/** A failed job as the plain-SQL read returns it (numeric progress already a number). */
const row: JobViewRow = {
  id: "7b0c1c4e-3f6a-4a55-9a43-0d6f0e0a9b11",
  version: "12",
  orgId: "00000000-0000-4000-8000-00000000000a",
  userId: "00000000-0000-4000-8000-000000000001",
  accessTokenHash: "ab",
  type: "synthetic",
  subtype: "work",
  name: "Import products.csv",
  status: "failed",
  priority: 50,
  attempts: 3,
  maxAttempts: 3,
  progressPercent: 42.5,
  progressMessage: "row 17",
  currentStep: "load",
  totalItems: 20,
  processedItems: 17,
  failedItems: 2,
  skippedItems: 1,
  input: { rows: 20 },
  output: null,
  metadata: { source: "upload" },
  errorCode: "bad_row",
  errorMessage: "row 17 has no price",
  errorStack: "Error: row 17 has no price\n    at handler",
  parentId: null,
  groupId: "g-1",
  scheduleId: null,
  createdAt: at(0),
  queuedAt: at(1),
  startedAt: at(2),
  completedAt: at(9),
  cancelledAt: null,
  durationMs: 7000,
  expiresAt: at(59),
};

describe("toJobView", () => {
  it("maps every column of the row to the documented view", () => {
    // Taken as they are:
    const { id, type, subtype, name, status, priority, attempts, maxAttempts, input, output, metadata } = row;
    const { parentId, groupId, scheduleId, durationMs } = row;
    expect(toJobView(row)).toEqual({
      ...{ id, type, subtype, name, status, priority, attempts, maxAttempts, input, output, metadata },
      ...{ parentId, groupId, scheduleId, durationMs },
      // Grouped, with the stack left out:
      progress: { percent: 42.5, message: "row 17", step: "load" },
      items: { total: 20, processed: 17, failed: 2, skipped: 1 },
      error: { code: "bad_row", message: "row 17 has no price" },
      // As ISO text, null where unset:
      ...{ createdAt: "2026-11-29T07:00:00.000Z", queuedAt: "2026-11-29T07:00:01.000Z" },
      ...{ startedAt: "2026-11-29T07:00:02.000Z", completedAt: "2026-11-29T07:00:09.000Z" },
      ...{ cancelledAt: null, expiresAt: "2026-11-29T07:00:59.000Z" },
    });
  });

  it("conforms to the contract's schema", () => {
    expect(jobViewSchema.safeParse(toJobView(row)).success).toBe(true);
  });

  it("never shows who owns the job, its token hash, its version or its stack", () => {
    const keys = Object.keys(toJobView(row));
    for (const hidden of ["orgId", "userId", "accessTokenHash", "version", "errorStack"])
      expect(keys).not.toContain(hidden);
    expect(JSON.stringify(toJobView(row))).not.toContain("at handler");
  });

  it("shows no error when the row has no error code, and an empty message when only the code is stored", () => {
    expect(toJobView({ ...row, errorCode: null }).error).toBeNull();
    expect(toJobView({ ...row, errorMessage: null }).error).toEqual({ code: "bad_row", message: "" });
  });

  it("reads Prisma's Decimal progress as the same number", () => {
    const prismaRow = { ...row, progressPercent: new Prisma.Decimal("42.50") } as unknown as Job;
    expect(toJobView(prismaRow).progress.percent).toBe(42.5);
  });
});

describe("summaries", () => {
  it("leave out input and output and keep everything else", () => {
    const { input: _input, output: _output, ...summaryRow } = row;
    const summary = toJobSummary(summaryRow);
    expect(summary).not.toHaveProperty("input");
    expect(summary).not.toHaveProperty("output");
    expect(summary).toEqual(summaryOf(toJobView(row)));
    expect(jobSummarySchema.safeParse(summary).success).toBe(true);
  });
});

describe("newJobView", () => {
  const stored: NewJobRow = {
    id: row.id,
    orgId: row.orgId,
    userId: null,
    type: "synthetic",
    subtype: "work",
    name: "n",
    queue: "synthetic",
    idempotencyKey: null,
    parentId: null,
    groupId: null,
    priority: 70,
    maxAttempts: 4,
    input: { a: 1 },
    metadata: {},
    options: {},
    accessTokenHash: null,
    runAt: null,
    retentionSeconds: 60,
    createdAt: at(0),
  };

  it("shows a job just stored as it would read back: nothing run, nothing reported, no expiry yet", () => {
    const view = newJobView(stored, "queued", at(1));
    const nothingYet = { attempts: 0, output: null, error: null, startedAt: null, expiresAt: null };
    const counters = { items: { total: 0, processed: 0, failed: 0, skipped: 0 } };
    expect(view).toMatchObject({ status: "queued", priority: 70, maxAttempts: 4, input: { a: 1 }, ...nothingYet });
    expect(view).toMatchObject({ progress: { percent: 0, message: null, step: null }, ...counters });
    expect(view.queuedAt).toBe("2026-11-29T07:00:01.000Z");
    expect(jobViewSchema.safeParse(view).success).toBe(true);
  });

  it("has the same fields as a view of a stored row", () => {
    expect(Object.keys(newJobView(stored, "pending", null)).sort()).toEqual(Object.keys(toJobView(row)).sort());
  });
});
