import { describe, expect, it } from "vitest";
import type { ChildOutcome, JobStatusName } from "@jobstream/db";
import { decideChildren } from "./decide-children";
import { CHILDREN_SETTLE_DELAY_MS, decideOutcome } from "./decide-outcome";
import { WaitingForChildren } from "./job-error";

const child = (status: JobStatusName, extra: Partial<ChildOutcome> = {}): ChildOutcome => ({
  id: `id-${status}`,
  type: "synthetic",
  subtype: "work",
  name: `a ${status} child`,
  status,
  output: null,
  errorCode: status === "failed" ? "boom" : null,
  errorMessage: status === "failed" ? "it broke" : null,
  ...extra,
});
const facts = {
  attempt: 1,
  maxAttempts: 3,
  attemptsMade: 0,
  aborted: { cancel: false, shutdown: false, timeout: false },
};
const options = { backoff: undefined, canHandBack: true };

describe("decideChildren", () => {
  it.for([
    ["fail", []],
    ["fail", ["completed", "completed"]],
    ["ignore", ["completed", "failed", "cancelled"]],
  ] as const)("runs the parent under %s with children %j", ([policy, statuses]) => {
    expect(
      decideChildren(
        policy,
        statuses.map((s) => child(s)),
      ),
    ).toEqual({ kind: "run" });
  });

  it.for(["pending", "queued", "delayed", "waiting_children", "running"] as const)(
    "waits while a child is %s in Postgres, whatever the policy",
    (status) => {
      for (const policy of ["fail", "ignore"] as const)
        expect(decideChildren(policy, [child("completed"), child(status)])).toEqual({ kind: "children_unsettled" });
    },
  );

  it("names the first failed child, its code and message, under fail", () => {
    const verdict = decideChildren("fail", [child("completed"), child("failed"), child("cancelled")]);
    expect(verdict).toEqual({
      kind: "child_failed",
      childId: "id-failed",
      message: 'child id-failed "a failed child" failed (boom: it broke)',
    });
  });

  it("treats a cancelled child as a failure under fail", () => {
    expect(decideChildren("fail", [child("cancelled")])).toMatchObject({
      kind: "child_failed",
      message: 'child id-cancelled "a cancelled child" was cancelled',
    });
  });
});

describe("decideOutcome for flows", () => {
  it("fails a parent with child_failed for good (a retry would meet the same child)", () => {
    expect(decideOutcome(facts, { kind: "child_failed", childId: "c", message: "child c failed" }, options)).toEqual({
      kind: "failed",
      code: "child_failed",
      message: "child c failed",
      stack: null,
      reason: "child_failed",
    });
  });

  it("defers a parent whose children Postgres has not recorded as final", () => {
    expect(decideOutcome(facts, { kind: "children_unsettled" }, options)).toEqual({
      kind: "deferred",
      delayMs: CHILDREN_SETTLE_DELAY_MS,
    });
  });

  it("parks a handler that waits for the children it added, or defers it until they are recorded", () => {
    expect(decideOutcome(facts, { kind: "threw", error: new WaitingForChildren(true) }, options)).toEqual({
      kind: "waiting-children",
    });
    expect(decideOutcome(facts, { kind: "threw", error: new WaitingForChildren(false) }, options)).toEqual({
      kind: "deferred",
      delayMs: CHILDREN_SETTLE_DELAY_MS,
    });
  });

  it("lets a cancel win over waiting for children", () => {
    const cancelled = { ...facts, aborted: { ...facts.aborted, cancel: true } };
    expect(decideOutcome(cancelled, { kind: "threw", error: new WaitingForChildren(true) }, options)).toMatchObject({
      kind: "cancelled",
    });
  });
});
