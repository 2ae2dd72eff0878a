import { z } from "zod";

/** What the launcher itself reads; everything else is passed through to the processes it starts. */
const launcherEnvSchema = z.object({
  DATABASE_URL: z.url().optional(),
  REDIS_URL: z.preprocess((v) => (v === "" ? undefined : v), z.url().optional()),
  /** `host:port,…` of a Redis Cluster the processes run on (passed through; they wait for it). */
  REDIS_CLUSTER_NODES: z.preprocess((v) => (v === "" ? undefined : v), z.string().optional()),
  /** `local`: start a 3-master + 3-replica Redis Cluster on free ports in a temp dir (`pnpm start:cluster`). */
  REDIS_CLUSTER: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["local"]).optional()),
  JWT_SECRET: z.string().optional(),
  ROLES: z.string().default("all"),
  /** The API's port (read here only to print the development sign-in link). */
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  /** Passed to the children; development mode sets it to true when unset. */
  ENABLE_SYNTHETIC_JOBS: z.string().optional(),
  /** Port of the embedded Postgres started when no Postgres answers. */
  EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1).max(65_535).default(5433),
});
export type LauncherEnv = z.output<typeof launcherEnvSchema>;

export function loadEnv(): LauncherEnv {
  const result = launcherEnvSchema.safeParse(process.env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    console.error(`launcher: invalid environment:\n${lines.join("\n")}`);
    process.exit(1);
  }
  return result.data;
}

/** The environment the launcher's children inherit. */
export function childEnv(overrides: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...overrides };
}
