import { parseArgs } from "node:util";
import type { ScheduleRequest, ScheduleView } from "@jobstream/client";
import { jsonFlag, positiveInt, stringFlags } from "../flags.ts";
import { EXIT, type CommandContext } from "../context.ts";
import { readInput } from "../read-input.ts";
import { UsageError } from "../usage-error.ts";

export const SCHEDULES_USAGE = `usage: jobstream schedules list [--json]
       jobstream schedules create <name> (--cron "<pattern>" [--tz zone] | --every <ms>)
                                  <type>[/<subtype>] --input <json|@file|->  [--paused] [--json]
       jobstream schedules pause|resume|delete <id>  [--json]`;

/** A row of `schedules list` on a terminal. */
function scheduleRow(s: ScheduleView): string {
  const when = s.cron !== null ? `cron "${s.cron}" ${s.timezone}` : `every ${String(s.everyMs)}ms`;
  const kind = `${s.job.type}/${s.job.subtype}`;
  return [
    s.id,
    (s.paused ? "paused" : "active").padEnd(6),
    kind.padEnd(20),
    when,
    `next ${s.nextRunAt ?? "-"}`,
    s.name,
  ].join("  ");
}

/** `schedules list | create | pause | resume | delete`. */
export async function schedulesCommand(ctx: CommandContext, args: string[]): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      ...stringFlags("cron", "tz", "every"),
      input: { type: "string", short: "i" },
      paused: { type: "boolean", default: false },
      ...jsonFlag,
    },
  });
  const schedules = ctx.client().schedules;
  const show = (s: ScheduleView) => {
    ctx.stdout.write(values.json ? `${JSON.stringify(s, null, 2)}\n` : `${s.id} ${s.paused ? "paused" : "active"}\n`);
  };
  switch (action) {
    case "list": {
      if (positionals.length > 0) throw new UsageError(SCHEDULES_USAGE);
      const json = values.json || !ctx.stdout.isTTY;
      let cursor: string | undefined;
      do {
        const page = await schedules.list({ limit: 500, cursor });
        for (const s of page.schedules) ctx.stdout.write(json ? `${JSON.stringify(s)}\n` : `${scheduleRow(s)}\n`);
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined);
      return EXIT.ok;
    }
    case "create": {
      const [name, kind, ...extra] = positionals;
      if (name === undefined || kind === undefined || extra.length > 0) throw new UsageError(SCHEDULES_USAGE);
      if ((values.cron === undefined) === (values.every === undefined))
        throw new UsageError("give --cron or --every (milliseconds), not both");
      const [type = "", subtype] = kind.split("/", 2);
      const request: ScheduleRequest = {
        name,
        ...(values.cron === undefined ? {} : { cron: values.cron }),
        ...(values.every === undefined ? {} : { everyMs: positiveInt("every", values.every) }),
        ...(values.tz === undefined ? {} : { timezone: values.tz }),
        // Type and input are text here: the API validates them (as for enqueue) and names bad fields.
        job: { type, ...(subtype === undefined ? {} : { subtype }), input: await readInput(values.input) },
        ...(values.paused ? { paused: true } : {}),
      };
      const made = await schedules.create(request);
      ctx.stdout.write(values.json ? `${JSON.stringify(made, null, 2)}\n` : `${made.id}\n`);
      return EXIT.ok;
    }
    case "pause":
    case "resume":
    case "delete": {
      const [id, ...extra] = positionals;
      if (id === undefined || extra.length > 0) throw new UsageError(`usage: jobstream schedules ${action} <id>`);
      if (action === "delete") {
        await schedules.delete(id);
        ctx.stdout.write(`${id} deleted\n`);
      } else show(action === "pause" ? await schedules.pause(id) : await schedules.resume(id));
      return EXIT.ok;
    }
    default:
      throw new UsageError(SCHEDULES_USAGE);
  }
}
