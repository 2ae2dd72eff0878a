import type { JobView } from "@jobstream/client";
import { EXIT, type CommandContext } from "../context.ts";
import { progressLine } from "../render.ts";

/** Exit code for a job's final status (0 completed, 1 failed, 2 cancelled). */
export function exitCodeFor(status: JobView["status"]): number {
  if (status === "completed") return EXIT.ok;
  if (status === "cancelled") return EXIT.cancelled;
  return EXIT.failed;
}

/**
 * Follows a job to its final state: on a terminal one progress line redrawn in place; otherwise
 * (piped) one JSON line per change, for scripts.
 */
export async function watchCommand(ctx: CommandContext, id: string): Promise<number> {
  const { stdout } = ctx;
  let last: JobView | undefined;
  for await (const job of ctx.client().jobs.watch(id)) {
    last = job;
    // A pseudo-terminal without a size (CI, `script`) reports 0 columns.
    if (stdout.isTTY) stdout.write(`\r\x1b[2K${progressLine(job, stdout.columns > 0 ? stdout.columns : 80)}`);
    else stdout.write(`${JSON.stringify(job)}\n`);
  }
  if (!last) return EXIT.apiError;
  if (stdout.isTTY) {
    stdout.write("\n");
    if (last.error) stdout.write(`${last.error.code}: ${last.error.message}\n`);
  }
  return exitCodeFor(last.status);
}
