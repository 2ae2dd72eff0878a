import { jobStatuses, type JobStatus } from "@jobstream/client";
import { UsageError } from "./usage-error.ts";

/** `--<name> <value>` flags, each an optional string: the common case of a command's parseArgs options. */
export function stringFlags<const K extends string>(...names: K[]): Record<K, { type: "string" }> {
  return Object.fromEntries(names.map((name) => [name, { type: "string" }])) as Record<K, { type: "string" }>;
}

/** `--json`: print the API's answer as JSON instead of a table or a line. */
export const jsonFlag = { json: { type: "boolean", default: false } } as const;

/** A `--<flag>` that must be a whole number of at least 1; anything else is a usage error. */
export function positiveInt(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${flag} "${value}" is not a positive integer`);
  return n;
}

/** `--status a,b` as statuses; a name that is none is a usage error. */
export function statusesOf(flag: string | undefined): JobStatus[] | undefined {
  const statuses = flag?.split(",").map((s) => s.trim());
  for (const status of statuses ?? []) {
    if (!(jobStatuses as readonly string[]).includes(status)) {
      throw new UsageError(`--status "${status}" is not a status; use ${jobStatuses.join(", ")}`);
    }
  }
  return statuses as JobStatus[] | undefined;
}
