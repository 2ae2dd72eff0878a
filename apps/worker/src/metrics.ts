import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";

/** The worker process's Prometheus metrics (served on its health port at /metrics). */
export interface WorkerMetrics {
  readonly registry: Registry;
  readonly jobDuration: Histogram<"type" | "outcome">;
  readonly mirrorLag: Histogram;
  readonly mirrorEntries: Counter;
  readonly mirrorDeadLetters: Counter<"queue">;
  readonly reconciled: Counter<"kind">;
  readonly outboxDispatched: Counter;
}

export function createWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    jobDuration: new Histogram({
      name: "jobstream_job_duration_seconds",
      help: "Duration of job attempts by type and outcome (completed, failed, retrying, cancelled, released)",
      labelNames: ["type", "outcome"],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 1800],
      registers,
    }),
    mirrorLag: new Histogram({
      name: "jobstream_mirror_lag_seconds",
      help: "Time from a worker publishing a job event to the mirror committing it to Postgres",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5, 30],
      registers,
    }),
    mirrorEntries: new Counter({
      name: "jobstream_mirror_entries_total",
      help: "Job events applied to Postgres",
      registers,
    }),
    mirrorDeadLetters: new Counter({
      name: "jobstream_mirror_dead_letters_total",
      help: "Stream entries the mirror set aside (malformed, refused by Postgres as data, or naming no job), by queue",
      labelNames: ["queue"],
      registers,
    }),
    reconciled: new Counter({
      name: "jobstream_reconciler_repairs_total",
      help:
        "Drift the reconciler found and repaired: requeued (Redis state gone) " +
        "or repaired (outcome taken from BullMQ)",
      labelNames: ["kind"],
      registers,
    }),
    outboxDispatched: new Counter({
      name: "jobstream_outbox_dispatched_total",
      help: "Pending jobs the outbox sent to Redis",
      registers,
    }),
  };
}
