import { z } from "zod";
import type { ItemCursor, JobCursor, Page, PageRequest } from "@jobstream/db";
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
    throw notACursor();
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

/** Cursors over rows keyed by a bigint id (dead letters). */
export function encodeItemCursor(id: bigint): string {
  return Buffer.from(id.toString()).toString("base64url");
}

export function decodeItemCursor(value: string): bigint {
  return bigintOf(Buffer.from(value, "base64url").toString());
}

/** Cursors over a job's items, listed by (ordinal, id). */
export function encodeItemPageCursor(cursor: ItemCursor): string {
  return Buffer.from(`${cursor.ordinal.toString()}.${cursor.id.toString()}`).toString("base64url");
}

export function decodeItemPageCursor(value: string): ItemCursor {
  const parts = Buffer.from(value, "base64url").toString().split(".");
  if (parts.length !== 2) throw notACursor();
  return { ordinal: bigintOf(parts[0] ?? ""), id: bigintOf(parts[1] ?? "") };
}

function bigintOf(text: string): bigint {
  if (!/^\d{1,19}$/.test(text) || BigInt(text) > MAX_ITEM_ID) throw notACursor();
  return BigInt(text);
}

function notACursor(): ApiError {
  return new ApiError("validation_failed", "request is invalid", [
    { path: "cursor", message: "not a cursor this API issued" },
  ]);
}
