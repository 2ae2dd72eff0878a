import type { Queryable } from "../pg";

export interface QueueStateRow {
  readonly queue: string;
  readonly paused: boolean;
  readonly changedBy: string | null;
  readonly changedAt: Date;
}

/** Records that an operator paused or resumed queues (bull-board), after Redis did it. */
export async function recordQueueStates(
  db: Queryable,
  queues: readonly string[],
  paused: boolean,
  changedBy: string | null,
): Promise<void> {
  if (queues.length === 0) return;
  await db.query(
    `INSERT INTO queue_states (queue, paused, changed_by, changed_at)
     SELECT q, $2, $3::uuid, now() FROM unnest($1::text[]) AS q
     ON CONFLICT (queue) DO UPDATE SET paused = EXCLUDED.paused, changed_by = EXCLUDED.changed_by, changed_at = now()`,
    [queues, paused, changedBy],
  );
}

/** Every recorded queue state (queues never paused have no row: they run). */
export async function listQueueStates(db: Queryable): Promise<QueueStateRow[]> {
  const { rows } = await db.query<QueueStateRow>(
    `SELECT queue, paused, changed_by::text AS "changedBy", changed_at AS "changedAt" FROM queue_states ORDER BY queue`,
  );
  return rows;
}
