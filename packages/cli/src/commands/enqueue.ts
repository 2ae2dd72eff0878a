import { parseArgs } from "node:util";
import type { UncheckedEnqueueRequest } from "@jobstream/client";
import { jsonFlag, stringFlags } from "../flags.ts";
import { EXIT, type CommandContext } from "../context.ts";
import { readInput } from "../read-input.ts";
import { UsageError } from "../usage-error.ts";
import { watchCommand } from "./watch.ts";

export async function enqueueCommand(ctx: CommandContext, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      input: { type: "string", short: "i" },
      ...stringFlags("name", "priority", "idempotency-key", "group", "children", "on-child-failure"),
      ...jsonFlag,
      wait: { type: "boolean", short: "w", default: false },
    },
  });
  const [kind, ...rest] = positionals;
  if (kind === undefined || rest.length > 0)
    throw new UsageError("usage: jobstream enqueue <type>[/<subtype>] --input <json|@file|->");
  const [type = "", subtype] = kind.split("/", 2);
  const priority = values.priority === undefined ? undefined : Number(values.priority);
  if (priority !== undefined && !Number.isInteger(priority))
    throw new UsageError(`--priority "${values.priority ?? ""}" is not an integer`);
  const children = values.children === undefined ? undefined : await readInput(values.children);
  if (children !== undefined && !Array.isArray(children))
    throw new UsageError("--children takes a JSON array of job requests ({ type, subtype?, input, … })");
  const onChildFailure = childFailurePolicy(values["on-child-failure"]);
  const body = {
    type,
    ...(subtype === undefined ? {} : { subtype }),
    input: await readInput(values.input),
    ...(values.name === undefined ? {} : { name: values.name }),
    ...(priority === undefined ? {} : { priority }),
    ...(values["idempotency-key"] === undefined ? {} : { idempotencyKey: values["idempotency-key"] }),
    ...(values.group === undefined ? {} : { groupId: values.group }),
    // Each child is checked by the API (400 naming children.N.field), like the input.
    ...(children === undefined ? {} : { children: children as UncheckedEnqueueRequest[] }),
    ...(onChildFailure === undefined ? {} : { onChildFailure }),
  };
  // Type and input come from the command line as text: the API validates them against the
  // registry and answers field issues, which is the check a CLI user gets.
  const answer = await ctx.client().jobs.enqueueUnchecked(body);
  if (values.wait) {
    if (values.json) ctx.stdout.write(`${JSON.stringify(answer.job)}\n`);
    else ctx.stderr.write(`${answer.job.id}\n`);
    return watchCommand(ctx, answer.job.id);
  }
  ctx.stdout.write(values.json ? `${JSON.stringify(answer.job, null, 2)}\n` : `${answer.job.id}\n`);
  return EXIT.ok;
}

function childFailurePolicy(flag: string | undefined): "fail" | "ignore" | undefined {
  if (flag === undefined || flag === "fail" || flag === "ignore") return flag;
  throw new UsageError(`--on-child-failure "${flag}" is not fail or ignore`);
}
