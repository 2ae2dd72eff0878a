import { randomBytes } from "node:crypto";
import { afterAll, describe, expect } from "vitest";
import { OtlpReceiver, waitFor, type ReceivedSpan } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";

const receiver = await new OtlpReceiver().start();
afterAll(() => receiver.close());

/** API, work and mirror in separate processes, each exporting to the receiver under its own service name. */
const it = systemTest(async (sys) => {
  const otel = (service: string) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_SERVICE_NAME: service });
  await sys.startApi(otel("jobstream-api"));
  await sys.startWorker("mirror", otel("jobstream-mirror"));
  await sys.startWorker("work,housekeep", otel("jobstream-worker"));
});

const SERVER = 2;
const CONSUMER = 5;

describe("tracing over OTLP/HTTP", () => {
  it("follows one job in one trace from the caller's request through both attempts to the mirror's writes", async ({
    sys,
    member,
  }) => {
    // The caller's own trace: the API continues it.
    const traceId = randomBytes(16).toString("hex");
    const callerSpanId = randomBytes(8).toString("hex");
    const res = await sys.request<{ job: { id: string } }>("POST", "/v1/jobs", {
      token: member,
      headers: { traceparent: `00-${traceId}-${callerSpanId}-01` },
      body: { type: "synthetic", input: { items: 2, failAttempts: 1 }, maxAttempts: 2 },
    });
    expect(res.status).toBe(202);
    const id = res.body.job.id;
    await sys.waitForStatus(member, id, "completed");

    const inTrace = (): ReceivedSpan[] => receiver.spans.filter((s) => s.traceId === traceId);
    const one = (where: (s: ReceivedSpan) => boolean, what: string): ReceivedSpan => {
      const found = inTrace().filter(where);
      expect(found, what).toHaveLength(1);
      const [span] = found;
      if (span === undefined) throw new Error(`no ${what}`);
      return span;
    };
    // Spans are exported in batches (every few seconds): wait until each process's have arrived.
    await waitFor(
      "spans of the api, both attempts and the mirror's writes",
      () => {
        const spans = inTrace();
        const attempts = spans.filter((s) => s.attributes["jobstream.job.id"] === id).length;
        const writes = spans.filter((s) => s.service === "jobstream-mirror").length;
        return spans.some((s) => s.kind === SERVER) && attempts >= 2 && writes >= 2 ? true : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(receiver.refused).toEqual([]);

    const request = one((s) => s.service === "jobstream-api" && s.kind === SERVER, "the request's span");
    expect(request).toMatchObject({ name: "POST /v1/jobs", parentSpanId: callerSpanId });
    expect(request.attributes["http.response.status_code"]).toBe(202);
    const enqueue = one((s) => s.name === "jobstream enqueue", "the enqueue's span");
    expect(enqueue).toMatchObject({ service: "jobstream-api", parentSpanId: request.spanId });

    // The row holds the enqueue's context: the outbox and the reconciler add the job from it (see jobSpec).
    const [row] = await sys.query<{ options: { trace?: { traceparent?: string } } }>(
      "SELECT options FROM jobs WHERE id = $1",
      [id],
    );
    expect(row?.options.trace?.traceparent).toBe(`00-${traceId}-${enqueue.spanId}-01`);

    // Each attempt is BullMQ's consumer span (bullmq-otel), a child of the enqueue.
    const attempts = inTrace().filter((s) => s.attributes["jobstream.job.id"] === id);
    expect(attempts.map((s) => s.attributes["jobstream.job.attempt"]).sort()).toEqual([1, 2]);
    for (const attempt of attempts)
      expect(attempt).toMatchObject({ service: "jobstream-worker", kind: CONSUMER, parentSpanId: enqueue.spanId });

    // The mirror writes batches of many jobs: a batch span (its own trace) links each attempt, and a
    // span in each job's trace, under the attempt whose events it wrote, links back to the batch.
    const writes = inTrace().filter((s) => s.service === "jobstream-mirror");
    const attemptIds = new Set(attempts.map((s) => s.spanId));
    for (const write of writes) {
      expect(write.name).toBe("mirror write");
      expect(attemptIds).toContain(write.parentSpanId);
      const [back] = write.links;
      const batch = receiver.spans.find((s) => s.spanId === back?.spanId);
      expect(batch).toMatchObject({ service: "jobstream-mirror", name: "mirror write", parentSpanId: "" });
      expect(batch?.links).toContainEqual({ traceId, spanId: write.parentSpanId });
    }
    expect(new Set(writes.map((w) => w.parentSpanId))).toEqual(attemptIds);
  });
});
