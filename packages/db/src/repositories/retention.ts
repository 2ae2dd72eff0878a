import type { Queryable } from "../pg";

/**
 * Deletes up to `limit` finished jobs whose expiry passed (items and events go with them).
 * `expires_at` is null until a job finished, so an unfinished or retried job is never taken.
 */
export async function deleteExpiredJobs(db: Queryable, limit: number, dryRun = false): Promise<number> {
  const select = `SELECT id FROM jobs
                  WHERE expires_at IS NOT NULL AND expires_at < now() AND status IN ('completed', 'failed', 'cancelled')
                  ORDER BY expires_at LIMIT $1`;
  if (dryRun) {
    const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${select}) s`, [limit]);
    return rows[0]?.n ?? 0;
  }
  const { rowCount } = await db.query(`DELETE FROM jobs WHERE id IN (${select} FOR UPDATE SKIP LOCKED)`, [limit]);
  return rowCount ?? 0;
}
