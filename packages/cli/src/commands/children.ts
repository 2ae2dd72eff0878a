import { parseArgs } from "node:util";
import { jsonFlag, positiveInt, statusesOf, stringFlags } from "../flags.ts";
import { EXIT, type CommandContext } from "../context.ts";
import { jobRow } from "../render.ts";
import { UsageError } from "../usage-error.ts";

/** A job's sub-jobs, newest first: one page of up to `--limit` (default 50). */
export async function childrenCommand(ctx: CommandContext, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...stringFlags("status"),
      limit: { type: "string", default: "50" },
      ...jsonFlag,
    },
  });
  const [id, ...rest] = positionals;
  if (id === undefined || rest.length > 0) throw new UsageError("usage: jobstream children <job id>");
  const page = await ctx.client().jobs.children(id, {
    status: statusesOf(values.status),
    limit: Math.min(positiveInt("limit", values.limit), 500),
  });
  const json = values.json || !ctx.stdout.isTTY;
  for (const job of page.jobs) ctx.stdout.write(json ? `${JSON.stringify(job)}\n` : `${jobRow(job)}\n`);
  return EXIT.ok;
}
