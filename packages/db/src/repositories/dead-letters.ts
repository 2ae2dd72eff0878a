import type { Queryable } from "../pg";

/** A stream entry the mirror set aside. Strings must already be storable (no NUL, no lone surrogate). */
export interface NewDeadLetter {
  readonly queue: string;
  /** The Redis stream entry id. */
  readonly streamId: string;
  /** The job id as read, when the entry had one (not necessarily a uuid). */
  readonly jobId: string | null;
  /** The entry's fields as JSON text. */
  readonly raw: string;
  readonly error: string;
}

export interface DeadLetter extends NewDeadLetter {
  readonly id: bigint;
  readonly createdAt: Date;
}

interface DeadLetterRow {
  id: string;
  queue: string;
  stream_id: string;
  job_id: string | null;
  raw: string;
  error: string;
  created_at: Date;
}

const toDeadLetter = (r: DeadLetterRow): DeadLetter => ({
  id: BigInt(r.id),
  queue: r.queue,
  streamId: r.stream_id,
  jobId: r.job_id,
  raw: r.raw,
  error: r.error,
  createdAt: r.created_at,
});

/**
 * Stores dead letters; an entry already stored (same queue and stream id: its batch was read
 * again after a lost acknowledgement) is skipped. Returns only those stored now, so the caller
 * logs and counts each entry once.
 */
export async function recordDeadLetters(db: Queryable, letters: readonly NewDeadLetter[]): Promise<DeadLetter[]> {
  if (letters.length === 0) return [];
  const { rows } = await db.query<DeadLetterRow>(
    `INSERT INTO mirror_dead_letters (queue, stream_id, job_id, raw, error)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
     ON CONFLICT (queue, stream_id) DO NOTHING
     RETURNING id::text, queue, stream_id, job_id, raw, error, created_at`,
    [
      letters.map((l) => l.queue),
      letters.map((l) => l.streamId),
      letters.map((l) => l.jobId),
      letters.map((l) => l.raw),
      letters.map((l) => l.error),
    ],
  );
  return rows.map(toDeadLetter);
}

/** Dead letters newest first; `beforeId` continues after the last one of the previous page. */
export async function listDeadLetters(
  db: Queryable,
  page: { readonly limit: number; readonly beforeId?: bigint },
): Promise<DeadLetter[]> {
  const { rows } = await db.query<DeadLetterRow>(
    `SELECT id::text, queue, stream_id, job_id, raw, error, created_at FROM mirror_dead_letters
     WHERE $2::bigint IS NULL OR id < $2::bigint ORDER BY id DESC LIMIT $1`,
    [page.limit, page.beforeId?.toString() ?? null],
  );
  return rows.map(toDeadLetter);
}
