import { Router } from "express";
import { z } from "zod";
import type { DeadLetterPage } from "@jobstream/contract";
import { listDeadLetters, type Queryable } from "@jobstream/db";
import { principalOf } from "../auth/authenticate";
import { ApiError } from "../http/errors";
import { parseOr400 } from "../http/validate";
import { decodeItemCursor, encodeItemCursor } from "../jobs/cursor";

export const DEAD_LETTERS_PATH = "/v1/admin/mirror/dead-letters";

export const deadLettersQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(100),
    cursor: z.string().min(1).max(100).optional().describe("nextCursor of the previous page"),
  })
  .strict();

/** Entries the mirror set aside, newest first: platform operators only (they hold every org's data). */
export function deadLettersRouter(deps: { readonly pool: Queryable }): Router {
  const router = Router();
  router.get(DEAD_LETTERS_PATH, async (req, res) => {
    const principal = principalOf(req);
    if (principal.kind !== "token") throw new ApiError("unauthorized", "dead letters need a bearer token");
    if (principal.role !== "operator") throw new ApiError("forbidden", "dead letters are for operator tokens");
    const q = parseOr400(deadLettersQuerySchema, req.query);
    const beforeId = q.cursor === undefined ? undefined : decodeItemCursor(q.cursor);
    const rows = await listDeadLetters(deps.pool, { limit: q.limit + 1, beforeId });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    const body: DeadLetterPage = {
      deadLetters: page.map((r) => ({
        id: r.id.toString(),
        queue: r.queue,
        streamId: r.streamId,
        jobId: r.jobId,
        raw: r.raw,
        error: r.error,
        createdAt: r.createdAt.toISOString(),
      })),
      nextCursor: rows.length > q.limit && last !== undefined ? encodeItemCursor(last.id) : null,
    };
    res.json(body);
  });
  return router;
}
