import { parseArgs } from "node:util";
import { webhookEvents, type WebhookEvent } from "@jobstream/client";
import { jsonFlag, stringFlags } from "../flags.ts";
import { EXIT, type CommandContext } from "../context.ts";
import { UsageError } from "../usage-error.ts";

const USAGE =
  "usage: jobstream webhooks list [--json] | create <url> --events e[,e] [--types t[,t]] [--json] | delete <id>";

const csv = (value: string | undefined) =>
  value
    ?.split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");

/** `webhooks list|create|delete`: an org's completion webhooks (admin, service or operator token). */
export async function webhooksCommand(ctx: CommandContext, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { ...stringFlags("events", "types"), ...jsonFlag },
  });
  const json = values.json || !ctx.stdout.isTTY;
  const webhooks = ctx.client().webhooks;
  switch (sub) {
    case "list": {
      if (positionals.length > 0) throw new UsageError(USAGE);
      for (const hook of (await webhooks.list({ limit: 200 })).webhooks) {
        const state = hook.enabled ? "enabled" : `disabled: ${hook.disabledReason ?? ""}`;
        const types = hook.types.length === 0 ? "all types" : hook.types.join(",");
        ctx.stdout.write(
          json
            ? `${JSON.stringify(hook)}\n`
            : `${hook.id}  ${hook.url}  ${hook.events.join(",")}  ${types}  ${state}\n`,
        );
      }
      return EXIT.ok;
    }
    case "create": {
      const [url, ...extra] = positionals;
      const events = csv(values.events);
      if (url === undefined || extra.length > 0 || events === undefined) throw new UsageError(USAGE);
      for (const event of events) {
        if (!(webhookEvents as readonly string[]).includes(event)) {
          throw new UsageError(`--events "${event}" is not an event; use ${webhookEvents.join(", ")}`);
        }
      }
      const hook = await webhooks.create({ url, events: events as WebhookEvent[], types: csv(values.types) });
      // The secret is shown this once: print it where a script can read it.
      ctx.stdout.write(json ? `${JSON.stringify(hook)}\n` : `${hook.id}\nsecret: ${hook.secret}\n`);
      return EXIT.ok;
    }
    case "delete": {
      const [id, ...extra] = positionals;
      if (id === undefined || extra.length > 0) throw new UsageError(USAGE);
      await webhooks.delete(id);
      return EXIT.ok;
    }
    default:
      throw new UsageError(USAGE);
  }
}
