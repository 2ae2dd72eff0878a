import { parseArgs } from "node:util";
import { jsonFlag, stringFlags } from "../flags.ts";
import { EXIT, type CommandContext } from "../context.ts";
import { UsageError } from "../usage-error.ts";
import { filterFlags, filterOf } from "./filter-flags.ts";

const ACTIONS = ["cancel", "retry", "delete"] as const;
const USAGE = `usage: jobstream bulk ${ACTIONS.join("|")} [filters as for list] [--org uuid] [--all] [--dry-run] [--json]`;

/**
 * `bulk <action>`: one action on every job the filter flags match (`POST /v1/jobs/bulk`); prints
 * `<bulk job id> matched <n>` (follow it with `jobstream watch <id>`). No filter needs `--all`.
 * `--dry-run` only counts: prints `matched <n>` and acts on nothing.
 */
export async function bulkCommand(ctx: CommandContext, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...filterFlags,
      ...stringFlags("org"),
      all: { type: "boolean", default: false },
      "dry-run": { type: "boolean", default: false },
      ...jsonFlag,
    },
  });
  const [action, ...rest] = positionals;
  const known = ACTIONS.find((a) => a === action);
  if (known === undefined || rest.length > 0) throw new UsageError(USAGE);
  const filter = { ...filterOf(values), ...(values.org === undefined ? {} : { orgId: values.org }) };
  const extras = values.all ? { all: true as const } : {};
  if (values["dry-run"]) {
    const { matched } = await ctx.client().jobs.bulkDryRun(known, filter, extras);
    ctx.stdout.write(values.json ? `${JSON.stringify({ matched }, null, 2)}\n` : `matched ${String(matched)}\n`);
    return EXIT.ok;
  }
  const bulk = await ctx.client().jobs.bulk(known, filter, extras);
  ctx.stdout.write(
    values.json ? `${JSON.stringify({ bulk }, null, 2)}\n` : `${bulk.id} matched ${String(bulk.matched)}\n`,
  );
  return EXIT.ok;
}
