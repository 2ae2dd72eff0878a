import { DelayedError, UnrecoverableError, type Job } from "bullmq";
import type { Redis } from "ioredis";
import { resolveJobKind, toFieldIssues } from "@jobstream/job-types";
import { type EventPublisher, isJobId, keysFor, queuedJobDataSchema } from "@jobstream/queue";
import type { Logger } from "@jobstream/runtime";
import type { JobContext } from "./context";
import { handlerFor, type HandlerMap } from "./handler-map";
import { AttemptSignal } from "./attempt-signal";
import { abortReasons, JobError } from "./job-error";
import { AttemptReporter } from "./attempt-reporter";

export interface RunDeps {
  readonly handlers: HandlerMap;
  readonly publisher: EventPublisher;
  readonly redis: Redis;
  readonly prefix: string;
  readonly logger: Logger;
  /** Fires when the process shuts down and in-flight jobs must be handed back. */
  readonly shutdown: AbortSignal;
  /** Each attempt's outcome and duration (metrics). */
  readonly onOutcome?: (type: string, outcome: string, seconds: number) => void;
}

function backoffDelay(job: Job): number {
  const backoff = job.opts.backoff;
  if (backoff === undefined) return 0;
  if (typeof backoff === "number") return backoff;
  const delay = backoff.delay ?? 0;
  return backoff.type === "exponential" ? delay * 2 ** job.attemptsMade : delay;
}

/**
 * The BullMQ processor: parses the job again, runs its handler with a context, and publishes
 * every change. Decides what a failure means: retry, final failure, cancellation or hand-back.
 */
export function createProcessor(deps: RunDeps) {
  const keys = keysFor(deps.prefix);
  return async (job: Job, token?: string, bullSignal?: AbortSignal): Promise<unknown> => {
    const jobId = job.id ?? "";
    if (!isJobId(jobId)) {
      // Not added through the API (bull-board, redis-cli): no row exists or can exist, so there is
      // nothing to run it for and nothing to publish (its events could never apply).
      deps.logger.warn({ jobId: jobId.slice(0, 200), type: job.queueName }, "job has no Postgres row (its id is not a uuid); failing it without running");
      throw new UnrecoverableError("not_a_jobstream_job");
    }
    const data = queuedJobDataSchema.safeParse(job.data);
    const attemptBase = data.success ? data.data.attemptBase : 0;
    const attempt = attemptBase + job.attemptsMade + 1;
    const maxAttempts = attemptBase + (job.opts.attempts ?? 1);
    // One queue per type: the queue name is the job's type.
    const logger = deps.logger.child({ jobId, type: job.queueName, attempt, maxAttempts });
    const kind = data.success ? resolveJobKind(data.data.type, data.data.subtype) : null;
    const run = new AttemptReporter(
      deps.publisher, job.queueName, jobId, attempt,
      kind?.ok ? (kind.kind.spec.steps ?? []) : [],
      kind?.ok ? kind.kind.definition.limits.maxItems : undefined,
    );
    run.start();

    if (!data.success || !kind?.ok) {
      await run.fail("invalid_input", data.success ? "unknown job type" : "job data is malformed", null);
      throw new UnrecoverableError("invalid_input");
    }
    const { type, subtype } = kind.kind;
    const input = kind.kind.spec.input.safeParse(data.data.input);
    const handler = handlerFor(deps.handlers, type, subtype);
    if (!input.success || handler === undefined) {
      const message = input.success ? `no handler for ${type}/${subtype}` : JSON.stringify(toFieldIssues(input.error)).slice(0, 1000);
      await run.fail("invalid_input", message, null);
      throw new UnrecoverableError("invalid_input");
    }
    if ((await deps.redis.exists(keys.cancelFlag(jobId))) === 1) {
      await run.cancel();
      throw new UnrecoverableError(abortReasons.cancel);
    }

    const attemptSignal = new AttemptSignal(data.data.timeoutMs ?? kind.kind.definition.defaults.timeoutMs, [deps.shutdown, ...(bullSignal ? [bullSignal] : [])]);
    const signal = attemptSignal.signal;
    const reason = (): string | null => {
      if (bullSignal?.aborted) return abortReasons.cancel;
      if (deps.shutdown.aborted) return abortReasons.shutdown;
      if (attemptSignal.timedOut) return abortReasons.timeout;
      return null;
    };
    const ctx: JobContext<unknown, unknown> = {
      jobId, input: input.data, attempt, maxAttempts, signal, logger,
      progress: (percent, message) => { run.progress(percent, message); },
      step: (name) => { run.step(name); },
      item: (ref) => run.item(ref),
      setTotal: (total) => { run.setTotal(total); },
    };
    const started = Date.now();
    logger.debug({ subtype }, "job started");
    try {
      const result = await handler(ctx);
      // A handler that caught the limit's error still fails: the limit is not the handler's to waive.
      if (run.overLimit) throw run.overLimit;
      const output = kind.kind.spec.output.safeParse(result);
      if (!output.success) throw new JobError("invalid_output", JSON.stringify(toFieldIssues(output.error)).slice(0, 1000), { unrecoverable: true });
      await run.complete(output.data);
      deps.onOutcome?.(type, "completed", (Date.now() - started) / 1000);
      logger.info({ subtype, outcome: "completed", durationMs: Date.now() - started }, `job completed (attempt ${attempt} of ${maxAttempts})`);
      return output.data;
    } catch (thrown) {
      // The item limit's failure wins over whatever the handler made of it.
      const error: unknown = run.overLimit ?? thrown;
      const why = reason();
      if (why === abortReasons.cancel) {
        await run.cancel();
        deps.onOutcome?.(type, "cancelled", (Date.now() - started) / 1000);
        logger.info({ subtype, outcome: "cancelled", durationMs: Date.now() - started }, `job cancelled (attempt ${attempt} of ${maxAttempts})`);
        throw new UnrecoverableError(abortReasons.cancel);
      }
      if (why === abortReasons.shutdown && token !== undefined) {
        // Hand the job back without spending an attempt; another worker takes it at once.
        await run.release("shutdown");
        await job.moveToDelayed(Date.now(), token);
        deps.onOutcome?.(type, "released", (Date.now() - started) / 1000);
        logger.info({ subtype, outcome: "released" }, "job handed back on shutdown");
        throw new DelayedError();
      }
      const code = why === abortReasons.timeout ? "timeout" : error instanceof JobError ? error.code : "handler_error";
      const message = why === abortReasons.timeout ? "attempt timed out" : error instanceof Error ? error.message : String(error);
      const final = (error instanceof JobError && error.unrecoverable) || attempt >= maxAttempts;
      if (final) {
        await run.fail(code, message, error instanceof Error ? (error.stack ?? null) : null);
        deps.onOutcome?.(type, "failed", (Date.now() - started) / 1000);
        logger.warn({ subtype, outcome: "failed", code, durationMs: Date.now() - started }, `job failed (attempt ${attempt} of ${maxAttempts})`);
        throw new UnrecoverableError(message);
      }
      await run.retry(code, message, backoffDelay(job));
      deps.onOutcome?.(type, "retrying", (Date.now() - started) / 1000);
      logger.warn({ subtype, outcome: "retrying", code, durationMs: Date.now() - started }, `attempt failed, retrying (attempt ${attempt} of ${maxAttempts})`);
      throw error instanceof Error ? error : new Error(message);
    } finally {
      attemptSignal.dispose();
    }
  };
}
