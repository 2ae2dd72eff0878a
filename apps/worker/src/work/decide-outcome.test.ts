import { describe, expect, it } from "vitest";
import { z } from "zod";
import { type AttemptFacts, backoffDelay, decideOutcome, type OutcomeOptions, type Settled } from "./decide-outcome";
import { JobError } from "./job-error";

const schema = z.object({ count: z.number() });
const none = { cancel: false, shutdown: false, timeout: false };
const cancel = { ...none, cancel: true };
const shutdown = { ...none, shutdown: true };
const timeout = { ...none, timeout: true };
const all = { cancel: true, shutdown: true, timeout: true };

/** Attempt 1 of 3 unless told otherwise. */
function facts(overrides: Partial<AttemptFacts> = {}): AttemptFacts {
  return { attempt: 1, maxAttempts: 3, attemptsMade: 0, aborted: none, ...overrides };
}
const options: OutcomeOptions = { backoff: undefined, canHandBack: true };
const returned = (value: unknown): Settled => ({ kind: "returned", value, schema });
const threw = (error: unknown): Settled => ({ kind: "threw", error });
const tooMany = () => new JobError("too_many_items", "the handler reported more than 3 items", { unrecoverable: true });

describe("decideOutcome before the handler runs", () => {
  it("fails invalid input for good, even with attempts left, and tells BullMQ 'invalid_input'", () => {
    expect(decideOutcome(facts(), { kind: "invalid_input", message: "unknown job type" }, options)).toEqual({
      kind: "failed",
      code: "invalid_input",
      message: "unknown job type",
      stack: null,
      reason: "invalid_input",
    });
  });

  it("cancels a job whose cancel flag was set before it started", () => {
    expect(decideOutcome(facts(), { kind: "cancelled_before_start" }, options)).toEqual({
      kind: "cancelled",
      reason: "cancelled",
    });
  });
});

describe("decideOutcome when the handler returned", () => {
  it("completes with the output as its schema parsed it", () => {
    expect(decideOutcome(facts(), returned({ count: 2, extra: true }), options)).toEqual({
      kind: "completed",
      output: { count: 2 },
    });
  });

  it.each([
    ["cancel", cancel],
    ["shutdown", shutdown],
    ["timeout", timeout],
    ["every abort", all],
  ])("completes a result that arrived although %s fired", (_name, aborted) => {
    expect(decideOutcome(facts({ aborted }), returned({ count: 1 }), options).kind).toBe("completed");
  });

  it("fails an output that fails its schema without retry, naming the fields", () => {
    const outcome = decideOutcome(facts(), returned({ count: "two" }), options);
    expect(outcome).toMatchObject({ kind: "failed", code: "invalid_output" });
    if (outcome.kind !== "failed") throw new Error("expected a failure");
    expect((JSON.parse(outcome.message) as { path: string }[]).map((issue) => issue.path)).toEqual(["count"]);
    expect(outcome.reason).toBe(outcome.message);
    expect(outcome.stack).toMatch(/^JobError: /);
  });

  it("cancels rather than fails an invalid output once cancel fired", () => {
    expect(decideOutcome(facts({ aborted: cancel }), returned({ count: "two" }), options).kind).toBe("cancelled");
  });

  it("fails for good when the handler went past the item limit, though it returned", () => {
    const overLimit = tooMany();
    expect(decideOutcome(facts({ overLimit }), returned({ count: 1 }), options)).toEqual({
      kind: "failed",
      code: "too_many_items",
      message: overLimit.message,
      stack: overLimit.stack ?? null,
      reason: overLimit.message,
    });
  });

  it("cancels rather than fails past the item limit once cancel fired", () => {
    expect(decideOutcome(facts({ overLimit: tooMany(), aborted: cancel }), returned({ count: 1 }), options).kind).toBe(
      "cancelled",
    );
  });
});

describe("decideOutcome when the handler threw", () => {
  it.each([
    ["an error", none, "handler_error", "boom"],
    ["a timed-out attempt", timeout, "timeout", "attempt timed out"],
  ] as const)(
    "retries %s while attempts remain (handing BullMQ the error), then fails the last one keeping its stack",
    (_name, aborted, code, message) => {
      const error = new Error("boom");
      const retry = { kind: "retry", code, message, delayMs: 0, error };
      expect(decideOutcome(facts({ aborted }), threw(error), options)).toEqual(retry);
      const failed = { kind: "failed", code, message, stack: error.stack ?? null, reason: message };
      expect(decideOutcome(facts({ aborted, attempt: 3 }), threw(error), options)).toEqual(failed);
    },
  );

  it("counts attempts across re-enqueues, not BullMQ's attempts of this enqueue", () => {
    const outcome = decideOutcome(
      facts({ attempt: 4, maxAttempts: 4, attemptsMade: 0 }),
      threw(new Error("x")),
      options,
    );
    expect(outcome.kind).toBe("failed");
  });

  it("wraps a thrown non-Error in an Error for BullMQ and has no stack to keep", () => {
    const retry = decideOutcome(facts(), threw("plain text"), options);
    expect(retry).toMatchObject({ kind: "retry", code: "handler_error", message: "plain text" });
    if (retry.kind !== "retry") throw new Error("expected a retry");
    expect(retry.error).toBeInstanceOf(Error);
    expect(retry.error.message).toBe("plain text");
    expect(decideOutcome(facts({ attempt: 3 }), threw(42), options)).toMatchObject({
      kind: "failed",
      message: "42",
      stack: null,
    });
  });

  it("retries a JobError under its own code", () => {
    const error = new JobError("upstream_busy", "try later");
    expect(decideOutcome(facts(), threw(error), options)).toMatchObject({
      kind: "retry",
      code: "upstream_busy",
      message: "try later",
      error,
    });
  });

  it("fails an unrecoverable JobError at once", () => {
    const error = new JobError("bad_file", "not a CSV", { unrecoverable: true });
    expect(decideOutcome(facts(), threw(error), options)).toMatchObject({
      kind: "failed",
      code: "bad_file",
      message: "not a CSV",
      reason: "not a CSV",
    });
  });

  it("puts the item limit's failure before whatever the handler threw", () => {
    const overLimit = tooMany();
    expect(decideOutcome(facts({ overLimit }), threw(new Error("caught and rethrown")), options)).toMatchObject({
      kind: "failed",
      code: "too_many_items",
      message: overLimit.message,
    });
  });
});

describe("decideOutcome when the handler's signal fired", () => {
  it.each([
    ["with attempts left", facts({ aborted: cancel })],
    ["on the last attempt", facts({ aborted: cancel, attempt: 3 })],
    ["past the item limit", facts({ aborted: cancel, overLimit: tooMany() })],
    ["together with shutdown and timeout", facts({ aborted: all })],
  ])("cancels a cancelled job %s, telling BullMQ 'cancelled'", (_name, attempt) => {
    expect(decideOutcome(attempt, threw(new Error("aborted")), options)).toEqual({
      kind: "cancelled",
      reason: "cancelled",
    });
  });

  it.each([
    ["with attempts left", facts({ aborted: shutdown })],
    ["on the last attempt", facts({ aborted: shutdown, attempt: 3 })],
    ["after an unrecoverable error", facts({ aborted: shutdown, overLimit: tooMany() })],
    ["that also timed out", facts({ aborted: { ...shutdown, timeout: true } })],
  ])("hands a job back on shutdown %s", (_name, attempt) => {
    expect(decideOutcome(attempt, threw(new Error("aborted")), options)).toEqual({ kind: "handed-back" });
  });

  it("treats a shutdown abort it cannot hand back as the handler's own error, even if it also timed out", () => {
    const cannot = { ...options, canHandBack: false };
    const error = new Error("aborted");
    const aborted = { ...shutdown, timeout: true };
    expect(decideOutcome(facts({ aborted }), threw(error), cannot)).toMatchObject({
      kind: "retry",
      code: "handler_error",
      message: "aborted",
    });
    expect(decideOutcome(facts({ aborted, attempt: 3 }), threw(error), cannot)).toMatchObject({
      kind: "failed",
      code: "handler_error",
    });
  });

  it("fails a timed-out attempt at once when the handler's error was unrecoverable", () => {
    const error = new JobError("bad_file", "not a CSV", { unrecoverable: true });
    expect(decideOutcome(facts({ aborted: timeout }), threw(error), options)).toMatchObject({
      kind: "failed",
      code: "timeout",
      message: "attempt timed out",
    });
  });
});

describe("the delay announced with a retry", () => {
  it("follows the job's backoff and BullMQ's attempts of this enqueue", () => {
    const exponential = { ...options, backoff: { type: "exponential", delay: 1000 } };
    const attempt = facts({ attempt: 5, maxAttempts: 9, attemptsMade: 2 });
    expect(decideOutcome(attempt, threw(new Error("x")), exponential)).toMatchObject({ kind: "retry", delayMs: 4000 });
  });

  it.each([
    ["no backoff", undefined, 3, 0],
    ["a number", 250, 3, 250],
    ["fixed", { type: "fixed", delay: 1000 }, 3, 1000],
    ["fixed without a delay", { type: "fixed" }, 3, 0],
    ["exponential, first retry", { type: "exponential", delay: 1000 }, 0, 1000],
    ["exponential, third retry", { type: "exponential", delay: 1000 }, 2, 4000],
    ["exponential without a delay", { type: "exponential" }, 2, 0],
    ["a custom strategy (its delay as given)", { type: "custom", delay: 700 }, 2, 700],
  ])("%s", (_name, backoff, attemptsMade, expected) => {
    expect(backoffDelay(backoff, attemptsMade)).toBe(expected);
  });
});
