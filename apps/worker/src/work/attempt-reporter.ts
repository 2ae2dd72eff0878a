import { runningSnapshot, type ItemOutcome, type JobSnapshot, type TimelineEntry } from "@jobstream/db";
import { postgresSafeText, type EventPayload, type EventPublisher } from "@jobstream/queue";
import type { StepDefinition } from "@jobstream/job-types";
import type { ItemReporter } from "./context";
import { JobError } from "./job-error";

/** Items buffered before a flush is forced; progress alone waits for the timer. */
const ITEM_FLUSH_THRESHOLD = 500;
/** Longest a change waits before it is published. */
const FLUSH_DELAY_MS = 25;

type MutableSnapshot = { -readonly [K in keyof JobSnapshot]: JobSnapshot[K] };

/**
 * Reports one attempt to the mirror: keeps the attempt's snapshot, buffers its changes and
 * publishes them as few stream entries as possible (a short job's start, items and end go out as
 * one entry). It records outcomes; `decideOutcome` chooses them.
 */
export class AttemptReporter {
  private readonly snapshot: MutableSnapshot;
  private items: ItemOutcome[] = [];
  private timeline: TimelineEntry[] = [];
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<unknown> = Promise.resolve();
  private publishError: unknown;
  private reported = 0;
  /** Set once the handler reported (or declared) more items than its type allows. */
  overLimit: JobError | undefined;

  constructor(
    private readonly publisher: EventPublisher,
    private readonly queue: string,
    readonly jobId: string,
    readonly attempt: number,
    private readonly steps: readonly StepDefinition[] = [],
    /** The type's `limits.maxItems`: more items in one attempt fail the job without retry. */
    private readonly maxItems: number = Number.POSITIVE_INFINITY,
  ) {
    this.snapshot = runningSnapshot(attempt);
  }

  start(): void {
    this.snapshot.startedAt = Date.now();
    this.note("started", { attempt: this.attempt });
  }

  progress(percent: number, message?: string): void {
    if (!Number.isFinite(percent)) return;
    this.snapshot.progress = Math.round(Math.min(100, Math.max(0, percent)) * 100) / 100;
    if (message !== undefined) this.snapshot.message = message.slice(0, 1000);
    this.touch();
  }

  step(name: string): void {
    const step = name.slice(0, 200);
    this.snapshot.step = step;
    const index = this.steps.findIndex((s) => s.name === step);
    if (index >= 0) {
      const total = this.steps.reduce((sum, s) => sum + s.weight, 0);
      const before = this.steps.slice(0, index).reduce((sum, s) => sum + s.weight, 0);
      if (total > 0)
        this.snapshot.progress = Math.max(this.snapshot.progress, Math.round((before / total) * 10_000) / 100);
    }
    this.note("step", { step });
  }

  setTotal(total: number): void {
    if (total > this.maxItems) this.refuse(`declared ${String(total)} items`);
    if (Number.isInteger(total) && total >= 0) this.snapshot.total = total;
    this.touch();
  }

  item<S>(ref: string): ItemReporter<S> {
    // Escaping a NUL makes the text longer (and the mirror refuses refs over 500), and cutting
    // may split a surrogate pair: escape, cut, then mend the cut.
    const storedRef = postgresSafeText(postgresSafeText(ref).slice(0, 500));
    const record = (status: ItemOutcome["status"], fields: Partial<ItemOutcome>) => {
      // The item over the limit is not published: nothing past the limit reaches Postgres.
      if (++this.reported > this.maxItems) this.refuse(`reported more than ${String(this.maxItems)} items`);
      this.items.push({
        ref: storedRef,
        status,
        message: null,
        errorCode: null,
        attempt: this.attempt,
        at: Date.now(),
        ...fields,
      });
      if (this.items.length >= ITEM_FLUSH_THRESHOLD) this.flush();
      else this.touch();
    };
    return {
      success: (after, before) => {
        record("success", { after, before });
      },
      error: (code, message) => {
        record("error", { errorCode: code.slice(0, 100), message: message.slice(0, 1000) });
      },
      skip: (reason) => {
        record("skipped", { message: reason.slice(0, 1000) });
      },
    };
  }

  /** Throws (and remembers, should the handler catch it) a non-retryable `too_many_items` failure. */
  private refuse(what: string): never {
    this.overLimit ??= new JobError(
      "too_many_items",
      `the handler ${what}; this job type allows at most ${String(this.maxItems)} per job`,
      { unrecoverable: true },
    );
    throw this.overLimit;
  }

  /** The attempt succeeded: publishes the final state and waits until it is in Redis. */
  complete(output: unknown): Promise<void> {
    return this.finish("completed", "completed", { output, progress: 100 }, {});
  }

  /** The job failed for good. */
  fail(code: string, message: string, stack: string | null): Promise<void> {
    return this.finish("failed", "failed", { error: { code, message, stack } }, { code, message });
  }

  /** This attempt failed; another follows (after `delayMs`). */
  retry(code: string, message: string, delayMs: number): Promise<void> {
    return this.finish(
      delayMs > 0 ? "delayed" : "queued",
      "retrying",
      { error: { code, message, stack: null }, finishedAt: null },
      { code, message, attempt: this.attempt, delayMs },
    );
  }

  cancel(): Promise<void> {
    return this.finish("cancelled", "cancelled", {}, { attempt: this.attempt });
  }

  /** Parked until its sub-jobs are final: not an end, so no finish time or duration. */
  async waitForChildren(): Promise<void> {
    this.snapshot.status = "waiting_children";
    this.touch();
    this.flush();
    await this.chain;
    if (this.publishError !== undefined)
      throw this.publishError instanceof Error ? this.publishError : new Error("publishing job events failed");
  }

  /** Handed back to the queue without using an attempt (shutdown). */
  release(reason: string): Promise<void> {
    return this.finish("queued", "requeued", { finishedAt: null }, { reason });
  }

  private async finish(
    status: JobSnapshot["status"],
    event: TimelineEntry["type"],
    fields: Partial<MutableSnapshot>,
    data: Record<string, unknown>,
  ): Promise<void> {
    const now = Date.now();
    Object.assign(
      this.snapshot,
      { status, finishedAt: now, durationMs: this.snapshot.startedAt === null ? null : now - this.snapshot.startedAt },
      fields,
    );
    this.note(event, data);
    this.flush();
    await this.chain;
    if (this.publishError !== undefined) {
      throw this.publishError instanceof Error
        ? this.publishError
        : new Error("publishing job events failed", { cause: this.publishError });
    }
  }

  private note(type: TimelineEntry["type"], data: Record<string, unknown>): void {
    this.timeline.push({ type, data, at: Date.now() });
    this.touch();
  }

  private touch(): void {
    this.dirty = true;
    this.timer ??= setTimeout(() => {
      this.flush();
    }, FLUSH_DELAY_MS);
  }

  /** Publishes what is buffered; entries of one job go out strictly in order. */
  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.dirty) return;
    this.dirty = false;
    const payload: EventPayload = { snapshot: { ...this.snapshot }, items: this.items, timeline: this.timeline };
    this.items = [];
    this.timeline = [];
    this.chain = this.chain.then(() =>
      this.publisher.publish(this.queue, this.jobId, payload).catch((error: unknown) => {
        this.publishError = error;
      }),
    );
  }
}
