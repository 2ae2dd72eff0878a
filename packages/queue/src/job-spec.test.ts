import { describe, expect, it } from "vitest";
import { defaults } from "../test/job-defaults";
import { jobOptionsFor, retriedMaxAttempts, type JobOverrides } from "./job-options";
import { jobSpec, toBullPriority, type JobSpecSource } from "./job-spec";

const NOW = 1_000_000;
const id = "7b0c1c4e-3f6a-4a55-9a43-0d6f0e0a9b11";

/** The row enqueueJobs stores for a request (attempts 0, nothing run yet). */
function newRow(request: JobOverrides & { readonly runAt?: Date | null } = {}): JobSpecSource {
  return {
    id,
    orgId: "0b7e2c1a-5d4f-4e3a-8c2b-1a9f8e7d6c5b",
    type: "synthetic",
    subtype: "work",
    input: { items: 3 },
    attempts: 0,
    runAt: request.runAt ?? null,
    ...jobOptionsFor(request, defaults),
  };
}

/** The same row as the outbox or the reconciler reads it back from Postgres (`options` is jsonb). */
function readBack(row: JobSpecSource, change: Partial<JobSpecSource> = {}): JobSpecSource {
  return { ...row, options: JSON.parse(JSON.stringify(row.options)) as unknown, ...change };
}

/** What the retry action adds: the row reopened with a new attempt budget. */
function retried(row: JobSpecSource): JobSpecSource {
  return { ...row, maxAttempts: retriedMaxAttempts(row) };
}

describe("jobSpec from a request", () => {
  it("takes every option the request left out from the type's defaults", () => {
    expect(jobSpec(newRow(), defaults, NOW)).toEqual({
      queue: "synthetic",
      name: "work",
      data: {
        type: "synthetic",
        subtype: "work",
        input: { items: 3 },
        orgId: "0b7e2c1a-5d4f-4e3a-8c2b-1a9f8e7d6c5b",
        attemptBase: 0,
        timeoutMs: 60_000,
      },
      opts: {
        jobId: id,
        priority: toBullPriority(30),
        attempts: 4,
        backoff: { type: "exponential", delay: 2000 },
        delay: 0,
        removeOnComplete: { age: 3600 },
        removeOnFail: { age: 7 * 86_400 },
      },
    });
  });

  it("lets the request's own options win over the defaults", () => {
    const spec = jobSpec(
      newRow({ priority: 90, maxAttempts: 2, backoff: { type: "fixed", delayMs: 50 }, timeoutMs: 300 }),
      defaults,
      NOW,
    );
    expect(spec.opts).toMatchObject({
      priority: toBullPriority(90),
      attempts: 2,
      backoff: { type: "fixed", delay: 50 },
    });
    expect(spec.data.timeoutMs).toBe(300);
  });

  it.each([
    ["priority", { priority: 90 }, { opts: { priority: toBullPriority(90) } }],
    ["maxAttempts", { maxAttempts: 9 }, { opts: { attempts: 9 } }],
    ["backoff", { backoff: { type: "fixed", delayMs: 5 } }, { opts: { backoff: { type: "fixed", delay: 5 } } }],
    ["timeoutMs", { timeoutMs: 1234 }, { data: { timeoutMs: 1234 } }],
  ] as const)("an override of %s changes that option and nothing else", (_field, request, changed) => {
    const base = jobSpec(newRow(), defaults, NOW);
    const spec = jobSpec(newRow(request), defaults, NOW);
    expect(spec).toEqual({
      ...base,
      data: { ...base.data, ...("data" in changed ? changed.data : {}) },
      opts: { ...base.opts, ...("opts" in changed ? changed.opts : {}) },
    });
  });

  it("maps priority so that a higher Jobstream priority runs first (BullMQ: 1 is highest)", () => {
    expect(toBullPriority(100)).toBe(1);
    expect(toBullPriority(0)).toBeGreaterThan(toBullPriority(50));
  });

  it("takes the BullMQ priority fair share handed out instead of the row's own", () => {
    expect(jobSpec(newRow({ priority: 90 }), defaults, NOW, 1234).opts.priority).toBe(1234);
  });

  it("keeps completed jobs in Redis an hour, or as long as KEEP_COMPLETED_SECONDS says", () => {
    expect(jobSpec(newRow(), defaults, NOW).opts.removeOnComplete).toEqual({ age: 3600 });
    expect(jobSpec(newRow(), defaults, NOW, undefined, 120).opts.removeOnComplete).toEqual({ age: 120 });
  });

  it("turns runAt into a delay, never a negative one", () => {
    expect(jobSpec(newRow({ runAt: new Date(NOW + 5000) }), defaults, NOW).opts.delay).toBe(5000);
    expect(jobSpec(newRow({ runAt: new Date(NOW - 5000) }), defaults, NOW).opts.delay).toBe(0);
  });
});

describe("jobSpec gives the same job the same options on every path", () => {
  const requests: readonly [string, JobOverrides & { readonly runAt?: Date | null }][] = [
    ["type defaults", {}],
    ["own options", { priority: 7, maxAttempts: 5, backoff: { type: "fixed", delayMs: 10 }, timeoutMs: 900 }],
    ["delayed", { runAt: new Date(NOW + 60_000), maxAttempts: 1 }],
  ];

  it.each(requests)("outbox (pending row read back) equals enqueue: %s", (_name, request) => {
    const row = newRow(request);
    expect(jobSpec(readBack(row), defaults, NOW)).toEqual(jobSpec(row, defaults, NOW));
  });

  it.each(requests)("reconciler (attempts made) continues the original budget: %s", (_name, request) => {
    const row = newRow(request);
    const original = jobSpec(row, defaults, NOW);
    const again = jobSpec(readBack(row, { attempts: 1 }), defaults, NOW);
    expect(again.data).toEqual({ ...original.data, attemptBase: 1 });
    expect(again.opts).toEqual({ ...original.opts, attempts: Math.max(1, row.maxAttempts - 1) });
  });

  it.each(requests)("retry grants another run of the original budget, all else equal: %s", (_name, request) => {
    const row = newRow(request);
    const original = jobSpec(row, defaults, NOW);
    const failed = readBack(row, { attempts: row.maxAttempts });
    const spec = jobSpec(retried(failed), defaults, NOW);
    expect(spec.data).toEqual({ ...original.data, attemptBase: row.maxAttempts });
    expect(spec.opts).toEqual(original.opts);
  });

  it("grants the original budget again on each retry, not the grown one", () => {
    const row = newRow({ maxAttempts: 3 });
    const once = retried(readBack(row, { attempts: 3 }));
    expect(once.maxAttempts).toBe(6);
    const twice = retried({ ...once, attempts: 6 });
    expect(twice.maxAttempts).toBe(9);
    expect(jobSpec(twice, defaults, NOW).opts.attempts).toBe(3);
    expect(jobSpec(twice, defaults, NOW).data.attemptBase).toBe(6);
  });
});

describe("jobSpec from rows that stored less", () => {
  const legacy: JobSpecSource = {
    id,
    orgId: "0b7e2c1a-5d4f-4e3a-8c2b-1a9f8e7d6c5b",
    type: "synthetic",
    subtype: "work",
    input: {},
    priority: 50,
    attempts: 0,
    maxAttempts: 3,
    options: {},
    runAt: null,
  };

  it("takes backoff and timeout from the type's defaults when options lack them", () => {
    const spec = jobSpec(legacy, defaults, NOW);
    expect(spec.opts.backoff).toEqual({ type: "exponential", delay: 2000 });
    expect(spec.data.timeoutMs).toBe(60_000);
    expect(spec.opts.attempts).toBe(3);
  });

  it("treats options that do not parse as absent rather than failing the dispatch", () => {
    const spec = jobSpec({ ...legacy, options: { backoff: "soon", timeoutMs: -1 } }, defaults, NOW);
    expect(spec.opts.backoff).toEqual({ type: "exponential", delay: 2000 });
    expect(spec.data.timeoutMs).toBe(60_000);
    expect(jobSpec({ ...legacy, options: null }, defaults, NOW)).toEqual(jobSpec(legacy, defaults, NOW));
  });

  it("keeps what options do store and defaults the rest", () => {
    const spec = jobSpec({ ...legacy, options: { timeoutMs: 500 } }, defaults, NOW);
    expect(spec.data.timeoutMs).toBe(500);
    expect(spec.opts.backoff).toEqual({ type: "exponential", delay: 2000 });
  });

  it("retries a row without attemptsPerRun with its maxAttempts as the budget", () => {
    expect(retriedMaxAttempts({ ...legacy, attempts: 3 })).toBe(6);
  });

  it("still gives one attempt to a job whose budget is spent but whose Redis state was lost", () => {
    expect(jobSpec({ ...legacy, attempts: 3 }, defaults, NOW).opts.attempts).toBe(1);
  });

  it("names a job without a subtype by the empty name", () => {
    const spec = jobSpec({ ...legacy, subtype: null }, defaults, NOW);
    expect(spec.name).toBe("");
    expect(spec.data.subtype).toBe("");
  });
});

describe("jobSpec and the enqueue's trace context", () => {
  const trace = { traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };

  it("hands a stored context to BullMQ's telemetry, from the new row and from the row read back", () => {
    const row = { ...newRow(), options: { ...jobOptionsFor({}, defaults).options, trace } };
    for (const source of [row, readBack(row), retried(readBack(row))])
      expect(jobSpec(source, defaults, NOW).opts.telemetry).toEqual({ metadata: JSON.stringify(trace) });
  });

  it("sets no telemetry when the enqueue was not traced", () => {
    expect(jobSpec(readBack(newRow()), defaults, NOW).opts).not.toHaveProperty("telemetry");
  });
});
