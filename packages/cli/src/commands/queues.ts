import { parseArgs } from "node:util";
import type { QueueView } from "@jobstream/client";
import { EXIT, type CommandContext } from "../context.ts";
import { UsageError } from "../usage-error.ts";

const USAGE = "usage: jobstream queues list [--json] | pause <name> | resume <name>";

/** One queue on a terminal: its name, whether it runs, its depths, workers and finish rate. */
export function queueRow(q: QueueView): string {
  const state = q.paused ? "PAUSED" : "running";
  const depths =
    q.counts === null
      ? "counts unknown (Redis)"
      : `waiting ${String(q.counts.waiting + q.counts.prioritized)} active ${String(q.counts.active)} ` +
        `delayed ${String(q.counts.delayed)} failed ${String(q.counts.failed)}`;
  const workers = q.workers === null ? "?" : String(q.workers);
  const rate = `${q.ratePerMinute.completed.toFixed(1)}/min`;
  return `${q.name.padEnd(20)}  ${state.padEnd(7)}  ${depths}  workers ${workers}  ${rate}`;
}

/** `queues list|pause|resume` (operator token; services may list). */
export async function queuesCommand(ctx: CommandContext, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { json: { type: "boolean", default: false } },
  });
  const json = values.json || !ctx.stdout.isTTY;
  const queues = ctx.client().queues;
  const print = (q: QueueView) => ctx.stdout.write(json ? `${JSON.stringify(q)}\n` : `${queueRow(q)}\n`);
  switch (sub) {
    case "list":
      if (positionals.length > 0) throw new UsageError(USAGE);
      for (const q of (await queues.list()).queues) print(q);
      return EXIT.ok;
    case "pause":
    case "resume": {
      const [name, ...extra] = positionals;
      if (name === undefined || extra.length > 0) throw new UsageError(USAGE);
      print((await queues[sub](name)).queue);
      return EXIT.ok;
    }
    default:
      throw new UsageError(USAGE);
  }
}
