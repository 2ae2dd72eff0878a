import type pg from "pg";
import type { Queryable } from "../pg";

/** Position after the last row of a newest-first page: its creation time, ties broken by id. */
export interface KeysetCursor {
  readonly createdAt: Date;
  readonly id: string;
}

/** Which page of a newest-first list: at most `limit` rows after `after` (the first page without it). */
export interface PageRequest {
  readonly limit: number;
  readonly after?: KeysetCursor | undefined;
}

/** A page of rows, and where the next one starts (null on the last page). */
export interface Page<T> {
  readonly rows: T[];
  readonly next: KeysetCursor | null;
}

/**
 * Cuts the `limit + 1` rows a keyset query fetched to one page: the extra row only tells that a next
 * page exists, and that page starts after the last row kept.
 */
export function cutPage<T extends KeysetCursor>(rows: T[], limit: number): Page<T> {
  const kept = rows.slice(0, limit);
  const last = kept.at(-1);
  return { rows: kept, next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null };
}

/**
 * One newest-first page of `select` (a `SELECT … FROM …`) narrowed by `filter` over `params`: the keyset
 * condition on (created_at, id), the order and the limit are added here, after the caller's parameters.
 */
export async function selectPage<T extends KeysetCursor & pg.QueryResultRow>(
  db: Queryable,
  query: { readonly select: string; readonly filter: string; readonly params: readonly unknown[] },
  page: PageRequest,
): Promise<Page<T>> {
  const at = query.params.length;
  const { rows } = await db.query<T>(
    `${query.select} WHERE ${query.filter}
       AND ($${at + 1}::timestamptz IS NULL OR (created_at, id) < ($${at + 1}::timestamptz, $${at + 2}::uuid))
     ORDER BY created_at DESC, id DESC LIMIT $${at + 3}`,
    [...query.params, page.after?.createdAt ?? null, page.after?.id ?? null, page.limit + 1],
  );
  return cutPage(rows, page.limit);
}
