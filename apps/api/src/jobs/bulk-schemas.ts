import { z } from "zod";
import { listFilterSchema } from "./schemas";

export const bulkActions = ["cancel", "retry", "delete"] as const;

/**
 * `POST /v1/jobs/bulk`: one action on every job the filter (`GET /v1/jobs`'s, same fields and
 * formats) matches. An empty filter would act on every job in the caller's scope: that needs
 * `all: true`, so a forgotten filter never cancels, retries or deletes everything. `dryRun: true`
 * only counts the matches (what a confirmation shows before acting).
 */
export const bulkBodySchema = z
  .object({
    action: z.enum(bulkActions),
    filter: listFilterSchema.strict(),
    all: z.literal(true).optional().describe("Required when `filter` names nothing: act on every job in scope"),
    dryRun: z
      .boolean()
      .optional()
      .describe("true: answer 200 `{ matched }`, how many jobs the filter matches now, and act on none"),
  })
  .strict()
  .refine((b) => b.all === true || Object.keys(b.filter).some((k) => k !== "orgId"), {
    message: "an empty filter matches every job: name a filter, or send all: true",
    path: ["filter"],
  });
