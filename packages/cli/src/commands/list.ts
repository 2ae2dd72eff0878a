import { parseArgs } from "node:util";
import { jsonFlag, positiveInt } from "../flags.ts";
import { EXIT, type CommandContext } from "../context.ts";
import { jobRow } from "../render.ts";
import { filterFlags, filterOf } from "./filter-flags.ts";

/** Jobs newest first, following pages until `--limit` jobs were shown (default 50). */
export async function listCommand(ctx: CommandContext, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...filterFlags,
      limit: { type: "string", default: "50" },
      ...jsonFlag,
    },
  });
  const limit = positiveInt("limit", values.limit);
  const jobs = ctx.client().jobs.list({ ...filterOf(values), limit: Math.min(limit, 500) });
  const json = values.json || !ctx.stdout.isTTY;
  let shown = 0;
  for await (const job of jobs) {
    ctx.stdout.write(json ? `${JSON.stringify(job)}\n` : `${jobRow(job)}\n`);
    if (++shown >= limit) break;
  }
  return EXIT.ok;
}
