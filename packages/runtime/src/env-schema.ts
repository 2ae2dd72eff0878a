import { z } from "zod";
import { clusterNodesSchema, EXCLUSIVE_REDIS_VARIABLES } from "./redis-target";

/** Variables every Jobstream process reads; each app's env.ts extends this. */
export const baseEnvSchema = z.object({
  DATABASE_URL: z
    .url()
    .refine((v) => /^postgres(ql)?:\/\//.test(v), "must be a postgres:// or postgresql:// URL")
    .default("postgresql://postgres@127.0.0.1:5432/jobstream"),
  /** Empty counts as unset (compose passes `REDIS_URL=` when REDIS_CLUSTER_NODES is used instead). */
  REDIS_URL: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .url()
      .refine((v) => /^rediss?:\/\//.test(v), "must be a redis:// or rediss:// URL")
      .default("redis://127.0.0.1:6379"),
  ),
  /** `host:port,…` seed nodes of a Redis Cluster: every role runs on it instead of `REDIS_URL`. */
  REDIS_CLUSTER_NODES: clusterNodesSchema,
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, "letters, digits, _ . - only")
    .default("jobstream"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** How long in-flight work may take to finish after SIGTERM. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /**
   * Fair share between orgs within each queue (docs/fair-share.md); `false` runs jobs in priority
   * then FIFO order across orgs. Every process that adds jobs (API, housekeeper, worker) reads it.
   */
  FAIR_SHARE: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * How long completed jobs stay in Redis (Postgres keeps them regardless): for bull-board and for
   * the reconciler, which reads the outcome of a job whose final event never reached Postgres. At
   * scale this is Redis's largest use of memory (docs/scaling.md). Every process that adds jobs reads it.
   */
  KEEP_COMPLETED_SECONDS: z.coerce.number().int().min(60).max(2_592_000).default(3600),
  /**
   * Streams each queue's job events are split over, by job id (docs/mirror-shards.md); mirror
   * processes share a queue's shards. The same value in every API and worker process.
   */
  MIRROR_SHARDS: z.coerce.number().int().min(1).max(256).default(1),
  /** When set, `/metrics` (API and worker) requires `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().min(16, "must be at least 16 characters").optional(),
  /**
   * OpenTelemetry's variable: when set, traces go over OTLP/HTTP (JSON) to `<endpoint>/v1/traces`;
   * unset (or empty, as OpenTelemetry reads it), no tracing code is loaded.
   */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.preprocess((v) => (v === "" ? undefined : v), z.url().optional()),
  /** The `service.name` of this process's spans (default `jobstream-api` or `jobstream-worker`). */
  OTEL_SERVICE_NAME: z.preprocess((v) => (v === "" ? undefined : v), z.string().min(1).optional()),
});

export class EnvError extends Error {
  override readonly name = "EnvError";
}

/** Parses the environment or throws an EnvError listing every bad variable. */
export function parseEnv<S extends z.ZodType>(schema: S, source: Record<string, string | undefined>): z.output<S> {
  const result = schema.safeParse(source);
  const both = EXCLUSIVE_REDIS_VARIABLES.every((name) => (source[name] ?? "") !== "");
  if (result.success && !both) return result.data;
  const lines = result.success
    ? []
    : result.error.issues.map((issue) => `  ${issue.path.join(".") || "(env)"}: ${issue.message}`);
  if (both) lines.push(`  ${EXCLUSIVE_REDIS_VARIABLES.join(", ")}: set one of them, not both`);
  throw new EnvError(`invalid environment:\n${lines.join("\n")}`);
}
