import { parseArgs } from "node:util";
import { jobStatuses, type GroupView } from "@jobstream/client";
import { EXIT, type CommandContext } from "../context.ts";
import { progressLine } from "../render.ts";
import { UsageError } from "../usage-error.ts";

const USAGE = "usage: jobstream groups <group id> [watch | cancel | retry] [--org uuid] [--json]";

/** `completed 8 · failed 1 · running 3`: the statuses that have jobs, in lifecycle order. */
export function countsLine(group: GroupView): string {
  return jobStatuses
    .filter((status) => group.counts[status] > 0)
    .map((status) => `${status} ${String(group.counts[status])}`)
    .join(" · ");
}

/** Exit code for a finished group: 0 all completed, 1 any failed, 2 any cancelled (none failed). */
export function groupExitCode(group: GroupView): number {
  if (group.counts.failed > 0) return EXIT.failed;
  if (group.counts.cancelled > 0) return EXIT.cancelled;
  return EXIT.ok;
}

const asLine = (group: GroupView, width: number) =>
  progressLine({ status: countsLine(group), progress: { percent: group.progress, step: null, message: null } }, width);

/**
 * `groups <id>`: the group (counts, progress); `watch` follows it until every job is final (exit
 * code as `watch` of a job); `cancel` and `retry` act on every job of it the token may act on.
 */
export async function groupsCommand(ctx: CommandContext, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { org: { type: "string" }, json: { type: "boolean", default: false } },
  });
  const [id, action, ...rest] = positionals;
  if (id === undefined || rest.length > 0) throw new UsageError(USAGE);
  const { stdout } = ctx;
  const json = values.json || !stdout.isTTY;
  const width = stdout.columns > 0 ? stdout.columns : 80;
  const scope = values.org === undefined ? {} : { orgId: values.org };
  const groups = ctx.client().groups;
  switch (action) {
    case undefined: {
      const group = await groups.get(id, scope);
      stdout.write(
        json ? `${JSON.stringify(group)}\n` : `${group.id}  ${String(group.total)} jobs  ${asLine(group, width)}\n`,
      );
      return EXIT.ok;
    }
    case "watch": {
      let last: GroupView | undefined;
      for await (const group of groups.stream(id, scope)) {
        last = group;
        stdout.write(json ? `${JSON.stringify(group)}\n` : `\r\x1b[2K${asLine(group, width)}`);
      }
      if (!last) return EXIT.apiError;
      if (!json) stdout.write("\n");
      return groupExitCode(last);
    }
    case "cancel":
    case "retry": {
      const answer = action === "cancel" ? await groups.cancel(id, scope) : await groups.retry(id, scope);
      const stopping = answer.stopping > 0 ? `, ${String(answer.stopping)} stopping` : "";
      stdout.write(json ? `${JSON.stringify(answer)}\n` : `${action}: ${String(answer.done)} jobs${stopping}\n`);
      return EXIT.ok;
    }
    default:
      throw new UsageError(USAGE);
  }
}
