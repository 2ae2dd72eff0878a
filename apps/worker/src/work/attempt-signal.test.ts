import { describe, expect, it } from "vitest";
import { AttemptSignal } from "./attempt-signal";

describe("AttemptSignal", () => {
  it("fires with the reason of the source that aborted", () => {
    const shutdown = new AbortController();
    const attempt = new AttemptSignal(60_000, [shutdown.signal]);
    shutdown.abort(new Error("shutdown"));
    expect(attempt.signal.aborted).toBe(true);
    expect((attempt.signal.reason as Error).message).toBe("shutdown");
    expect(attempt.timedOut).toBe(false);
    attempt.dispose();
  });

  it("fires at once for a source that already aborted", () => {
    const attempt = new AttemptSignal(60_000, [AbortSignal.abort("cancel")]);
    expect(attempt.signal.reason).toBe("cancel");
    attempt.dispose();
  });

  it("fires on its timeout and says so", async () => {
    const attempt = new AttemptSignal(5, []);
    await new Promise((resolve) => {
      attempt.signal.addEventListener("abort", resolve);
    });
    expect(attempt.timedOut).toBe(true);
    expect((attempt.signal.reason as DOMException).name).toBe("TimeoutError");
  });

  it("lets go of its sources once disposed", () => {
    const shutdown = new AbortController();
    const attempt = new AttemptSignal(60_000, [shutdown.signal]);
    attempt.dispose();
    shutdown.abort();
    expect(attempt.signal.aborted).toBe(false);
  });
});
