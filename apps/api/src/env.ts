import { availableParallelism } from "node:os";
import { dashboardDistDir } from "@jobstream/dashboard/dist-dir";
import { secretWeakness } from "@jobstream/contract";
import { queueGroupsSchema } from "@jobstream/queue";
import { baseEnvSchema, parseEnv } from "@jobstream/runtime";
import { z } from "zod";

/** "true" or "false" (anything else is refused, so a typo does not silently mean false). */
const flag = z
  .enum(["true", "false"])
  .default("false")
  .transform((v) => v === "true");

const apiEnvSchema = baseEnvSchema.extend({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  /**
   * API processes serving PORT (node:cluster: a primary forks them, restarts one that dies, and
   * drains them all on SIGTERM); `auto`: one per core. 1: a single process, no cluster.
   */
  API_PROCESSES: z
    .string()
    .trim()
    .default("1")
    .transform((v) => (v === "auto" ? availableParallelism() : Number(v)))
    .pipe(z.number({ error: "must be a whole number of processes or auto" }).int().min(1).max(64)),
  /** HS256 key for bearer tokens; at least 32 characters, random (not the .env.example placeholder). */
  JWT_SECRET: z
    .string({ error: "is required (HS256 key, at least 32 characters)" })
    .min(32, "must be at least 32 characters")
    .superRefine((secret, ctx) => {
      const weakness = secretWeakness(secret);
      if (weakness !== null) ctx.addIssue({ code: "custom", message: weakness });
    }),
  /** When set, bearer tokens must carry this `iss`. */
  JWT_ISSUER: z.string().min(1).optional(),
  /** When set, bearer tokens must carry this `aud`. */
  JWT_AUDIENCE: z.string().min(1).optional(),
  /** Longest accepted token lifetime (`exp - iat`, or `exp - now` without `iat`); default 30 days. */
  JWT_MAX_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(10 * 365 * 86_400)
    .default(2_592_000),
  /** Largest accepted request body. */
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, "like 1mb or 512kb")
    .default("1mb"),
  /** Browser origins allowed to call the API (comma list); empty: no cross-origin access. */
  CORS_ORIGINS: z
    .string()
    .default("")
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s !== ""),
    )
    .pipe(z.array(z.url())),
  /** Requests per minute per token, shared by every API process. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(1200),
  /**
   * Express's `trust proxy`: which proxies' X-Forwarded-For names the client (rate limits by address).
   * Off by default; `true`, a hop count, or a comma list of addresses/subnets (`loopback, 10.0.0.0/8`).
   */
  TRUST_PROXY: z
    .string()
    .default("false")
    .transform((v): boolean | number | string => {
      const value = v.trim();
      if (value === "" || value === "false") return false;
      if (value === "true") return true;
      return /^\d+$/.test(value) ? Number(value) : value;
    }),
  /** Comment sent on idle event streams so proxies keep them open. */
  SSE_KEEPALIVE_MS: z.coerce.number().int().min(1000).max(300_000).default(15_000),
  /** Open event streams allowed per token (or per job access token). */
  SSE_MAX_PER_TOKEN: z.coerce.number().int().min(1).max(1000).default(20),
  /** The built dashboard served at /dashboard/ (default: apps/dashboard/dist after `pnpm build`). */
  DASHBOARD_DIR: z.string().min(1).default(dashboardDistDir),
  /** Changes are re-read and sent at most this often (progress bursts coalesce). */
  SSE_TICK_MS: z.coerce.number().int().min(10).max(5000).default(100),
  /** Development job types (synthetic) exist only when true: tests, benchmarks, `pnpm start`'s dev mode. */
  ENABLE_SYNTHETIC_JOBS: flag,
  /** Unfinished jobs one org may have; an enqueue over it answers 429 quota_exceeded. 0: unlimited. */
  ORG_MAX_UNFINISHED_JOBS: z.coerce.number().int().min(0).max(100_000_000).default(10_000),
  /** Jobs one org may enqueue per minute, over all API processes (429 quota_exceeded above). 0: unlimited. */
  ORG_ENQUEUE_PER_MINUTE: z.coerce.number().int().min(0).max(100_000_000).default(6000),
  /**
   * Items (as job inputs declare them) one org may enqueue per minute, over all API processes: job
   * counts alone would let one org bury the shared mirror in item rows. 0: unlimited.
   */
  ORG_ITEMS_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000_000).default(500_000),
  /**
   * A streaming replica of DATABASE_URL's database: list, stats and stream reads go there while it
   * is caught up (docs/replicas.md). Unset or empty: every read goes to the primary.
   */
  DATABASE_READ_URL: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z
      .url()
      .refine((v) => /^postgres(ql)?:\/\//.test(v), "must be a postgres:// or postgresql:// URL")
      .optional(),
  ),
  /** Replica lag beyond which reads go to the primary (the replica is reported `lagging`). */
  REPLICA_MAX_LAG_MS: z.coerce.number().int().min(0).max(3_600_000).default(2000),
  /** How often the replica's lag is measured. */
  REPLICA_CHECK_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
  /** How long a read behind its caller's own last write waits for the replica before reading the primary. */
  REPLICA_READ_WAIT_MS: z.coerce.number().int().min(0).max(10_000).default(250),
  /** Webhook URLs naming private, loopback or link-local addresses are accepted (tests, development). */
  WEBHOOK_ALLOW_PRIVATE: flag,
  /** Job types sharing a hash slot on a cluster (`a+b,c+d`): the same in every process (docs/redis-cluster.md). */
  REDIS_CLUSTER_QUEUE_GROUPS: queueGroupsSchema,
});
export type ApiEnv = z.output<typeof apiEnvSchema>;

/** The API's configuration, parsed once at start-up. */
export function loadEnv(source: Record<string, string | undefined> = process.env): ApiEnv {
  return parseEnv(apiEnvSchema, source);
}
