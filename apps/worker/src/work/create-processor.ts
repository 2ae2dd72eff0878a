import { DelayedError, UnrecoverableError, WaitingChildrenError, type Job } from "bullmq";
import { resolveJobKind, toFieldIssues } from "@jobstream/job-types";
import { type EventPublisher, isJobId, type Producer, queuedJobDataSchema } from "@jobstream/queue";
import { activeTracing, type Logger, type RedisClient } from "@jobstream/runtime";
import { findChildOutcomes, isFinalStatus, type ChildOutcome, type Queryable } from "@jobstream/db";
import { decideChildren } from "./decide-children";
import { WaitingForChildren } from "./job-error";
import { spawnChildren } from "./spawn-children";
import type { JobContext } from "./context";
import { handlerFor, type HandlerMap } from "./handler-map";
import { AttemptSignal } from "./attempt-signal";
import { AttemptReporter } from "./attempt-reporter";
import { type AttemptFacts, decideOutcome, type Outcome, type OutcomeOptions, type Settled } from "./decide-outcome";

export interface ProcessorDeps {
  readonly handlers: HandlerMap;
  readonly publisher: EventPublisher;
  readonly redis: RedisClient;
  readonly prefix: string;
  readonly logger: Logger;
  /** Fires when the process shuts down and in-flight jobs must be handed back. */
  readonly shutdown: AbortSignal;
  /** Each attempt's outcome and duration (metrics). */
  readonly onOutcome?: (type: string, outcome: string, seconds: number) => void;
  /** Where a flow's parent reads its children (their outcomes, outputs) from, and stores those it adds. */
  readonly db: Queryable;
  /** Adds the sub-jobs a running handler creates. */
  readonly producer: Producer;
}

/**
 * The BullMQ processor: parses the job again, runs its handler with a context, has
 * `decideOutcome` say what the attempt's end means, and carries that out: publishes the final
 * state, logs, reports the metric, and answers BullMQ (a return value, or the error that makes it
 * retry, fail the job for good, or leave it delayed after a hand-back).
 */
export function createProcessor(deps: ProcessorDeps) {
  const keys = deps.producer.keys;
  return async (job: Job, token?: string, bullSignal?: AbortSignal): Promise<unknown> => {
    const jobId = job.id ?? "";
    if (!isJobId(jobId)) {
      // Not added through the API (bull-board, redis-cli): no row exists or can exist, so there is
      // nothing to run it for and nothing to publish (its events could never apply).
      deps.logger.warn(
        { jobId: jobId.slice(0, 200), type: job.queueName },
        "job has no Postgres row (its id is not a uuid); failing it without running",
      );
      throw new UnrecoverableError("not_a_jobstream_job");
    }
    const data = queuedJobDataSchema.safeParse(job.data);
    const attemptBase = data.success ? data.data.attemptBase : 0;
    const attempt = attemptBase + job.attemptsMade + 1;
    const maxAttempts = attemptBase + (job.opts.attempts ?? 1);
    // One queue per type: the queue name is the job's type.
    const logger = deps.logger.child({ jobId, type: job.queueName, attempt, maxAttempts });
    activeTracing()?.annotate({ "jobstream.job.id": jobId, "jobstream.job.attempt": attempt });
    const kind = data.success ? resolveJobKind(data.data.type, data.data.subtype) : null;
    const reporter = new AttemptReporter(
      deps.publisher,
      job.queueName,
      jobId,
      attempt,
      kind?.ok ? (kind.kind.spec.steps ?? []) : [],
      kind?.ok ? kind.kind.definition.limits.maxItems : undefined,
    );
    const options: OutcomeOptions = { backoff: job.opts.backoff, canHandBack: token !== undefined };
    const notAborted = { cancel: false, shutdown: false, timeout: false };
    const beforeStart = { attempt, maxAttempts, attemptsMade: job.attemptsMade, aborted: notAborted };
    // A flow's parent first checks its children, before it counts as started: while it waits for
    // the mirror nothing is published, and a failed child fails it without running the handler.
    const policy = data.success ? data.data.onChildFailure : undefined;
    let children: readonly ChildOutcome[] | undefined;
    if (policy !== undefined) {
      children = await findChildOutcomes(deps.db, jobId);
      const verdict = decideChildren(policy, children);
      if (verdict.kind !== "run")
        return carryOut(decideOutcome(beforeStart, verdict, options), { reporter, job, token });
    }
    reporter.start();

    if (!data.success || !kind?.ok) {
      const message = data.success ? "unknown job type" : "job data is malformed";
      return carryOut(decideOutcome(beforeStart, { kind: "invalid_input", message }, options), {
        reporter,
        job,
        token,
      });
    }
    const { type, subtype } = kind.kind;
    const input = kind.kind.spec.input.safeParse(data.data.input);
    const handler = handlerFor(deps.handlers, type, subtype);
    if (!input.success || handler === undefined) {
      const message = input.success
        ? `no handler for ${type}/${subtype}`
        : JSON.stringify(toFieldIssues(input.error)).slice(0, 1000);
      return carryOut(decideOutcome(beforeStart, { kind: "invalid_input", message }, options), {
        reporter,
        job,
        token,
      });
    }
    if ((await deps.redis.exists(keys.cancelFlag(jobId))) === 1) {
      return carryOut(decideOutcome(beforeStart, { kind: "cancelled_before_start" }, options), {
        reporter,
        job,
        token,
      });
    }

    const readChildren = async () => children ?? (children = await findChildOutcomes(deps.db, jobId));

    const attemptSignal = new AttemptSignal(data.data.timeoutMs ?? kind.kind.definition.defaults.timeoutMs, [
      deps.shutdown,
      ...(bullSignal ? [bullSignal] : []),
    ]);
    // Read when the handler settles, not before: an abort may fire while the attempt ends.
    const facts = (): AttemptFacts => ({
      attempt,
      maxAttempts,
      attemptsMade: job.attemptsMade,
      overLimit: reporter.overLimit,
      aborted: {
        cancel: bullSignal?.aborted === true,
        shutdown: deps.shutdown.aborted,
        timeout: attemptSignal.timedOut,
      },
    });
    const ctx: JobContext<unknown, unknown> = {
      jobId,
      input: input.data,
      attempt,
      maxAttempts,
      signal: attemptSignal.signal,
      logger,
      progress: (percent, message) => {
        reporter.progress(percent, message);
      },
      step: (name) => {
        reporter.step(name);
      },
      item: (ref) => reporter.item(ref),
      setTotal: (total) => {
        reporter.setTotal(total);
      },
      children: readChildren,
      addChildren: (requests, opts) =>
        spawnChildren(deps, job, requests, opts?.onChildFailure ?? data.data.onChildFailure ?? "fail"),
      waitForChildren: async () => {
        if (token !== undefined && (await job.moveToWaitingChildren(token))) throw new WaitingForChildren(true);
        children = await findChildOutcomes(deps.db, jobId);
        if (children.some((c) => !isFinalStatus(c.status))) throw new WaitingForChildren(false);
      },
    };
    const ran: Ran = { logger, type, subtype, attempt, maxAttempts, started: Date.now(), onOutcome: deps.onOutcome };
    logger.debug({ subtype }, "job started");
    try {
      let settled: Settled;
      try {
        settled = { kind: "returned", value: await handler(ctx), schema: kind.kind.spec.output };
      } catch (error) {
        settled = { kind: "threw", error };
      }
      const outcome = decideOutcome(facts(), settled, options);
      try {
        return await carryOut(outcome, { reporter, job, token, ran });
      } catch (error) {
        if (outcome.kind !== "completed") throw error;
        // The completion never reached Redis, so the job is not done: the attempt failed like any
        // other. Publishing that is tried too, and the reporter then rethrows the publish error.
        return await carryOut(decideOutcome(facts(), { kind: "threw", error }, options), { reporter, job, token, ran });
      }
    } finally {
      attemptSignal.dispose();
    }
  };
}

/** What the processor knows once the handler ran: the outcome is then logged and measured. */
interface Ran {
  readonly logger: Logger;
  readonly type: string;
  readonly subtype: string;
  readonly attempt: number;
  readonly maxAttempts: number;
  readonly started: number;
  readonly onOutcome: ProcessorDeps["onOutcome"];
}

/** The `outcome` label of the duration metric (`src/metrics.ts`) and of the log line, per decision. */
const metricOutcome = {
  completed: "completed",
  retry: "retrying",
  failed: "failed",
  cancelled: "cancelled",
  "handed-back": "released",
  deferred: "deferred",
  "waiting-children": "waiting_children",
} as const;

/**
 * Publishes the outcome and answers BullMQ; logs and measures it if the handler ran. Every branch
 * but `completed` throws: that is how a processor tells BullMQ to retry, to fail for good, or
 * that it moved the job itself.
 */
async function carryOut(
  outcome: Outcome,
  at: { reporter: AttemptReporter; job: Job; token: string | undefined; ran?: Ran },
): Promise<unknown> {
  const { reporter, job, token, ran } = at;
  switch (outcome.kind) {
    case "completed":
      await reporter.complete(outcome.output);
      break;
    case "cancelled":
      await reporter.cancel();
      break;
    case "handed-back":
      await reporter.release("shutdown");
      // Due at once, and without spending an attempt: another worker takes it straight away.
      if (token !== undefined) await job.moveToDelayed(Date.now(), token);
      break;
    case "waiting-children":
      await reporter.waitForChildren();
      break;
    case "deferred":
      if (token !== undefined) await job.moveToDelayed(Date.now() + outcome.delayMs, token);
      break;
    case "failed":
      await reporter.fail(outcome.code, outcome.message, outcome.stack);
      break;
    case "retry":
      await reporter.retry(outcome.code, outcome.message, outcome.delayMs);
      break;
  }
  if (ran !== undefined) report(outcome, ran);
  switch (outcome.kind) {
    case "completed":
      return outcome.output;
    case "cancelled":
    case "failed":
      throw new UnrecoverableError(outcome.reason);
    case "handed-back":
    case "deferred":
      throw new DelayedError();
    case "waiting-children":
      throw new WaitingChildrenError();
    case "retry":
      throw outcome.error;
  }
}

function report(outcome: Outcome, ran: Ran): void {
  const durationMs = Date.now() - ran.started;
  ran.onOutcome?.(ran.type, metricOutcome[outcome.kind], durationMs / 1000);
  const fields = { subtype: ran.subtype, outcome: metricOutcome[outcome.kind] };
  const of = `(attempt ${String(ran.attempt)} of ${String(ran.maxAttempts)})`;
  switch (outcome.kind) {
    case "completed":
      ran.logger.info({ ...fields, durationMs }, `job completed ${of}`);
      break;
    case "cancelled":
      ran.logger.info({ ...fields, durationMs }, `job cancelled ${of}`);
      break;
    case "handed-back":
      ran.logger.info(fields, "job handed back on shutdown");
      break;
    case "deferred":
      ran.logger.debug(fields, "job deferred");
      break;
    case "waiting-children":
      ran.logger.info(fields, "job waits for its sub-jobs");
      break;
    case "failed":
      ran.logger.warn({ ...fields, code: outcome.code, durationMs }, `job failed ${of}`);
      break;
    case "retry":
      ran.logger.warn({ ...fields, code: outcome.code, durationMs }, `attempt failed, retrying ${of}`);
      break;
  }
}
