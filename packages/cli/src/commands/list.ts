import { parseArgs } from "node:util";
import { jsonFlag, positiveInt, statusesOf, stringFlags } from "../flags.ts";
import { EXIT, type CommandContext } from "../context.ts";
import { jobRow } from "../render.ts";
import { UsageError } from "../usage-error.ts";

/** `--metadata '{"shop":"a"}'`: a JSON object the jobs' metadata must contain. */
function metadataOf(value: string | undefined): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new UsageError(`--metadata is not JSON: ${(error as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new UsageError(`--metadata must be a JSON object, e.g. '{"shop":"a"}'`);
  }
  return Object.fromEntries(Object.entries(parsed));
}

/** Jobs newest first, following pages until `--limit` jobs were shown (default 50). */
export async function listCommand(ctx: CommandContext, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...stringFlags("status", "type", "subtype", "group", "user", "q", "metadata"),
      limit: { type: "string", default: "50" },
      ...jsonFlag,
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
    metadata: metadataOf(values.metadata),
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
