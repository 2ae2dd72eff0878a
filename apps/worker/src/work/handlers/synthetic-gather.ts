import { jsonValueSchema } from "@jobstream/job-types";
import type { Handler } from "../handler-map";

/**
 * `synthetic/gather`: a flow's parent. With `spawn`, adds that many `synthetic/work` (or `childJob`)
 * sub-jobs on its first run and waits for them (the handler runs again once they are final); returns
 * every sub-job's status and output as Postgres holds them.
 */
export const syntheticGather: Handler<"synthetic", "gather"> = async (ctx) => {
  const spawn = ctx.input.spawn ?? 0;
  if (spawn > 0 && (await ctx.children()).length === 0) {
    const child = ctx.input.childJob ?? { type: "synthetic", subtype: "work", input: ctx.input.childInput ?? {} };
    await ctx.addChildren(Array.from({ length: spawn }, (_, i) => ({ ...child, name: `item ${String(i)}` })));
    await ctx.waitForChildren();
  }
  const children = await ctx.children();
  return {
    children: children.map((c) => ({ id: c.id, status: c.status, output: storedJson.parse(c.output ?? null) })),
  };
};

/** A child's output as Postgres returns it (JSON, or null when it has none). */
const storedJson = jsonValueSchema.nullable().catch(null);
