import { parseArgs } from "node:util";
import type { JobView } from "@jobstream/client";
import { jsonFlag } from "../flags.ts";
import { EXIT, type CommandContext } from "../context.ts";
import { UsageError } from "../usage-error.ts";

/** `get`, `cancel`, `retry`: one job id in, the job's view out (JSON; `id status` for cancel/retry without --json). */
export async function jobActionCommand(
  ctx: CommandContext,
  action: "get" | "cancel" | "retry",
  args: string[],
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: jsonFlag,
  });
  const [id, ...rest] = positionals;
  if (id === undefined || rest.length > 0) throw new UsageError(`usage: jobstream ${action} <job id>`);
  const jobs = ctx.client().jobs;
  const job: JobView =
    action === "get" ? await jobs.get(id) : action === "cancel" ? await jobs.cancel(id) : await jobs.retry(id);
  if (action === "get" || values.json) ctx.stdout.write(`${JSON.stringify(job, null, 2)}\n`);
  else ctx.stdout.write(`${job.id} ${job.status}\n`);
  return EXIT.ok;
}
