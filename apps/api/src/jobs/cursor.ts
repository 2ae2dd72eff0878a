import { z } from "zod";
import type { JobCursor, Page, PageRequest } from "@jobstream/db";
import { ApiError } from "../http/errors";
import { instantSchema } from "./instant";

const jobCursorSchema = z.tuple([instantSchema(), z.uuid()]);
/** Item ids are Postgres bigints: a larger number is not a cursor this API issued. */
const MAX_ITEM_ID = 9_223_372_036_854_775_807n;

/** Opaque page cursors: base64url JSON, validated on the way back in. */
export function encodeJobCursor(cursor: JobCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt.toISOString(), cursor.id])).toString("base64url");
}

export function decodeJobCursor(value: string): JobCursor {
  try {
    const [createdAt, id] = jobCursorSchema.parse(JSON.parse(Buffer.from(value, "base64url").toString()));
    return { createdAt: new Date(createdAt), id };
  } catch {
    throw new ApiError("validation_failed", "request is invalid", [
      { path: "cursor", message: "not a cursor this API issued" },
    ]);
  }
}

/** The page a list's `limit` and `cursor` ask for (a cursor this API did not issue is a 400). */
export function pageRequest(query: { readonly limit: number; readonly cursor?: string | undefined }): PageRequest {
  return { limit: query.limit, after: query.cursor === undefined ? undefined : decodeJobCursor(query.cursor) };
}

/** A keyset-paged list answer: the page's rows as views under `key`, and the next page's cursor. */
export function pageAnswer<K extends string, Row, View>(
  key: K,
  page: Page<Row>,
  view: (row: Row) => View,
): Record<K, View[]> & { nextCursor: string | null } {
  const rows = { [key]: page.rows.map(view) } as Record<K, View[]>;
  return { ...rows, nextCursor: page.next === null ? null : encodeJobCursor(page.next) };
}

export function encodeItemCursor(id: bigint): string {
  return Buffer.from(id.toString()).toString("base64url");
}

export function decodeItemCursor(value: string): bigint {
  const text = Buffer.from(value, "base64url").toString();
  if (!/^\d{1,19}$/.test(text) || BigInt(text) > MAX_ITEM_ID) {
    throw new ApiError("validation_failed", "request is invalid", [
      { path: "cursor", message: "not a cursor this API issued" },
    ]);
  }
  return BigInt(text);
}
