import { parseArgs } from "node:util";
import { jsonFlag } from "../flags.ts";
import { EXIT, type CommandContext } from "../context.ts";

/** Registered job types: `type/subtype  description` lines, or the API's JSON with --json. */
export async function typesCommand(ctx: CommandContext, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: jsonFlag });
  const { jobTypes } = await ctx.client().jobTypes();
  if (values.json) {
    ctx.stdout.write(`${JSON.stringify(jobTypes, null, 2)}\n`);
    return EXIT.ok;
  }
  for (const type of jobTypes) {
    for (const subtype of type.subtypes) {
      const isDefault = type.defaultSubtype === subtype.subtype ? " (default)" : "";
      ctx.stdout.write(`${type.type}/${subtype.subtype}${isDefault}  ${subtype.description}\n`);
    }
  }
  return EXIT.ok;
}
