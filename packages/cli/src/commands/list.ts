import { parseArgs } from "node:util";
import { jobStatuses, type JobStatus } from "@jobstream/client";
import { EXIT, type CommandContext } from "../context.ts";
import { jobRow } from "../render.ts";
import { UsageError } from "../usage-error.ts";

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

/** Jobs newest first, following pages until `--limit` jobs were shown (default 50). */
export async function listCommand(ctx: CommandContext, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      status: { type: "string" },
      type: { type: "string" },
      subtype: { type: "string" },
      group: { type: "string" },
      user: { type: "string" },
      q: { type: "string" },
      limit: { type: "string", default: "50" },
      json: { type: "boolean", default: false },
    },
  });
  const limit = positiveInt("limit", values.limit);
  const jobs = ctx.client().jobs.list({
    status: statusesOf(values.status),
    type: values.type,
    subtype: values.subtype,
    groupId: values.group,
    userId: values.user,
    q: values.q,
    limit: Math.min(limit, 500),
  });
  const json = values.json || !ctx.stdout.isTTY;
  let shown = 0;
  for await (const job of jobs) {
    ctx.stdout.write(json ? `${JSON.stringify(job)}\n` : `${jobRow(job)}\n`);
    if (++shown >= limit) break;
  }
  return EXIT.ok;
}
