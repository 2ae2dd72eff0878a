import type { Queryable } from "../pg";
import type { KeysetCursor } from "./keyset";

/** Where a bulk job stands: the cursor after the last job it acted on, and its counts so far. */
export interface BulkProgress {
  readonly after: KeysetCursor;
  readonly done: number;
  readonly skipped: number;
  readonly batches: number;
}

/** A bulk job's saved progress; null before its first batch. */
export async function readBulkProgress(db: Queryable, jobId: string): Promise<BulkProgress | null> {
  const { rows } = await db.query<{ createdAt: Date; id: string; done: number; skipped: number; batches: number }>(
    `SELECT after_created_at AS "createdAt", after_id AS id, done, skipped, batches
     FROM bulk_progress WHERE job_id = $1::uuid`,
    [jobId],
  );
  const row = rows[0];
  return row ? { after: { createdAt: row.createdAt, id: row.id }, ...row } : null;
}

/** Records a finished batch: the next attempt after a crash starts after `progress.after`. */
export async function saveBulkProgress(db: Queryable, jobId: string, progress: BulkProgress): Promise<void> {
  await db.query(
    `INSERT INTO bulk_progress (job_id, after_created_at, after_id, done, skipped, batches, updated_at)
     VALUES ($1::uuid, $2, $3::uuid, $4, $5, $6, now())
     ON CONFLICT (job_id) DO UPDATE SET after_created_at = EXCLUDED.after_created_at, after_id = EXCLUDED.after_id,
       done = EXCLUDED.done, skipped = EXCLUDED.skipped, batches = EXCLUDED.batches, updated_at = now()`,
    [jobId, progress.after.createdAt, progress.after.id, progress.done, progress.skipped, progress.batches],
  );
}

/**
 * Deletes one finished job (its items and events go with it), as the retention sweep would early.
 * False when it is gone or not final (a retry reopened it meanwhile): nothing unfinished is deleted.
 */
export async function deleteFinishedJob(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `DELETE FROM jobs WHERE id = $1::uuid AND status IN ('completed', 'failed', 'cancelled')`,
    [id],
  );
  return rowCount === 1;
}
