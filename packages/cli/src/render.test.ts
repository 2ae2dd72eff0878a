import { describe, expect, it } from "vitest";
import { JobstreamError } from "@jobstream/client";
import { describeApiError, progressLine } from "./render.ts";

describe("progressLine", () => {
  it("draws a bar with percent, status, step and message, within the width", () => {
    const line = progressLine(
      { status: "running", progress: { percent: 50, step: "load", message: "row 5 of 10" } },
      60,
    );
    expect(line).toMatch(/^\[#+-+\] {2}50% running · load · row 5 of 10$/);
    const bar = /^\[([#-]+)\]/.exec(line)?.[1] ?? "";
    expect(bar.split("#").length - 1).toBe(Math.round(bar.length / 2));
    expect(line.length).toBeLessThan(60);
  });
  it("clamps odd percentages and leaves out empty parts", () => {
    expect(progressLine({ status: "completed", progress: { percent: 140, step: null, message: null } })).toMatch(
      /^\[#+\] 100% completed$/,
    );
  });
});

describe("describeApiError", () => {
  it("names the code, the HTTP status and each field path", () => {
    const error = new JobstreamError("validation_failed", "request is invalid", {
      status: 400,
      details: [
        { path: "input.durationMs", message: "Expected number" },
        { path: "", message: "Unrecognized key: bogus" },
      ],
    });
    expect(describeApiError(error).split("\n")).toEqual([
      "error: validation_failed (HTTP 400): request is invalid",
      "  input.durationMs: Expected number",
      "  (body): Unrecognized key: bogus",
    ]);
  });
});
