import { describe, expect, it } from "vitest";
import { NO_QUEUE_GROUPS, parseQueueGroups, queueGroupsSchema } from "./queue-groups";

const known = ["report", "export", "ingest", "transform", "other"];

describe("parseQueueGroups", () => {
  it("maps every member of a group to the group's first member", () => {
    expect([...parseQueueGroups("report+export, ingest + transform", known)]).toEqual([
      ["report", "report"],
      ["export", "report"],
      ["ingest", "ingest"],
      ["transform", "ingest"],
    ]);
  });

  it("reads empty text (and stray commas) as no groups", () => {
    expect(parseQueueGroups("", known).size).toBe(0);
    expect(parseQueueGroups(" , ", known).size).toBe(0);
    expect([...parseQueueGroups("report+export,", known)]).toHaveLength(2);
  });

  it.each([
    ["report+", /empty job type/],
    ["report++export", /empty job type/],
    ["report", /group of one/],
    ["report+nope", /"nope" is not a job type; known: report, export/],
    ["report+export,export+ingest", /"export" appears more than once/],
    ["report+report", /"report" appears more than once/],
  ])("refuses %s", (text, message) => {
    expect(() => parseQueueGroups(text, known)).toThrow(message);
  });

  it("checks against the registry's job types by default", () => {
    expect([...parseQueueGroups("synthetic+import")]).toEqual([
      ["synthetic", "synthetic"],
      ["import", "synthetic"],
    ]);
    expect(() => parseQueueGroups("synthetic+report")).toThrow(/"report" is not a job type/);
  });
});

describe("queueGroupsSchema", () => {
  it("treats unset and empty as no groups", () => {
    expect(queueGroupsSchema.parse(undefined)).toBe(NO_QUEUE_GROUPS);
    expect(queueGroupsSchema.parse("")).toBe(NO_QUEUE_GROUPS);
  });

  it("reports a bad value as an issue with the parser's message", () => {
    const result = queueGroupsSchema.safeParse("synthetic");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/group of one/);
  });
});
