import { jobTypeNames } from "@jobstream/job-types";
import { baseEnvSchema, parseEnv, rolesSchema } from "@jobstream/runtime";
import { z } from "zod";

/** `CONCURRENCY_<TYPE>` overrides a job type's default concurrency in this process. */
export const concurrencyVariable = (type: string): string => `CONCURRENCY_${type.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;

const concurrencyOverrides = Object.fromEntries(
  jobTypeNames.map((type) => [concurrencyVariable(type), z.coerce.number().int().min(1).max(1000).optional()]),
);

const workerEnvSchema = baseEnvSchema.extend({
  ROLES: rolesSchema,
  /** Port of this process's /healthz and /readyz; 0 picks a free port. */
  HEALTH_PORT: z.coerce.number().int().min(0).max(65_535).default(3001),
  HEALTH_HOST: z.string().min(1).default("0.0.0.0"),
  ...concurrencyOverrides,
});
export type WorkerEnv = z.output<typeof workerEnvSchema>;

export function loadEnv(source: Record<string, string | undefined> = process.env): WorkerEnv {
  return parseEnv(workerEnvSchema, source);
}
