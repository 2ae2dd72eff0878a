import { jobTypeNames } from "@jobstream/job-types";
import { queueGroupsSchema } from "@jobstream/queue";
import { baseEnvSchema, parseEnv, rolesSchema } from "@jobstream/runtime";
import { z } from "zod";
import { DEFAULT_RETRY_DELAYS_MS, parseDelays } from "./webhooks/back-off";

/** `CONCURRENCY_<TYPE>` overrides a job type's default concurrency in this process. */
export const concurrencyVariable = (type: string): string =>
  `CONCURRENCY_${type.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;

const concurrencyOverrides = Object.fromEntries(
  jobTypeNames.map((type) => [concurrencyVariable(type), z.coerce.number().int().min(1).max(1000).optional()]),
);

/** `ORG_CONCURRENCY_<TYPE>` caps how many jobs of one org run at once in a type's queue (all workers together). */
export const orgConcurrencyVariable = (type: string): string => `ORG_${concurrencyVariable(type)}`;

const orgConcurrencyCaps = Object.fromEntries(
  jobTypeNames.map((type) => [orgConcurrencyVariable(type), z.coerce.number().int().min(1).max(10_000).optional()]),
);

const workerEnvSchema = baseEnvSchema.extend({
  /** Development job types (synthetic) get a queue worker only when true; elsewhere nothing runs them. */
  ENABLE_SYNTHETIC_JOBS: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  ROLES: rolesSchema,
  /**
   * Port of this process's /healthz and /readyz; 0 picks a free port. Unset: the next free port from
   * 3001, so several workers run on one host; set and taken: the worker does not start.
   */
  HEALTH_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  HEALTH_HOST: z.string().min(1).default("0.0.0.0"),
  /** A killed worker's jobs return to the queue after this long (BullMQ lock duration). */
  WORKER_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
  /** A mirror's shard leases live this long: a dead mirror's shards move to the others after it (plus a third). */
  MIRROR_LEASE_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
  /** Pause between housekeeping rounds. */
  HOUSEKEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
  /** A pending row this old is sent to Redis by the outbox. */
  OUTBOX_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(5000),
  /** An unfinished row unchanged this long is compared with BullMQ by the reconciler. */
  RECONCILE_AFTER_MS: z.coerce.number().int().min(100).max(86_400_000).default(60_000),
  /** How often the retention sweep runs: the interval its system schedule is created with (then PATCH it). */
  RETENTION_INTERVAL_MS: z.coerce.number().int().min(1000).default(3_600_000),
  /** Webhooks may reach private, loopback and link-local addresses (tests, development). */
  WEBHOOK_ALLOW_PRIVATE: z
    .enum(["true", "false"])
    .default("false")
    .transform((v) => v === "true"),
  /** One webhook attempt (connect, send, answer headers) is abandoned after this long. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Waits before each attempt, comma-separated ms (default: 0, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h). */
  WEBHOOK_RETRY_DELAYS_MS: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (text === undefined) return DEFAULT_RETRY_DELAYS_MS;
      try {
        return parseDelays(text);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : String(error) });
        return z.NEVER;
      }
    }),
  /** An endpoint whose deliveries all failed for this long is disabled (default a day). */
  WEBHOOK_DISABLE_AFTER_MS: z.coerce.number().int().min(0).default(86_400_000),
  /** How often the webhook sender looks for due deliveries when none were due. */
  WEBHOOK_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  /** Webhook deliveries one process sends at the same time. */
  WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(10),
  /** A job over its org's concurrency cap is tried again after this long (plus up to as much jitter). */
  ORG_CAP_RETRY_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  /** Job types sharing a hash slot on a cluster (`a+b,c+d`): the same in every process (docs/redis-cluster.md). */
  REDIS_CLUSTER_QUEUE_GROUPS: queueGroupsSchema,
  ...concurrencyOverrides,
  ...orgConcurrencyCaps,
});
export type WorkerEnv = z.output<typeof workerEnvSchema>;

export function loadEnv(source: Record<string, string | undefined> = process.env): WorkerEnv {
  return parseEnv(workerEnvSchema, source);
}
