import { z } from "zod";
import { named } from "./fields";
import { cursorPage } from "./page";

/**
 * A stream entry the mirror set aside (GET /v1/admin/mirror/dead-letters, operators only):
 * malformed, refused by Postgres as data, or naming a job without a row.
 */
export const deadLetterViewSchema = named("MirrorDeadLetter", {
  id: z.string().describe("Opaque, increasing"),
  queue: z.string(),
  streamId: z.string().describe("The Redis stream entry id"),
  jobId: z.string().nullable().describe("The job id as read; not necessarily a uuid"),
  raw: z.string().describe("The entry's fields as JSON text (NUL and lone surrogates escaped)"),
  error: z.string(),
  createdAt: z.iso.datetime(),
});
export type DeadLetterView = z.infer<typeof deadLetterViewSchema>;

export const deadLetterPageSchema = cursorPage("deadLetters", deadLetterViewSchema).meta({
  id: "MirrorDeadLetterPage",
});
export type DeadLetterPage = z.infer<typeof deadLetterPageSchema>;
