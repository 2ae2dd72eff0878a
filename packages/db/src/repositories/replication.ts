import type { Queryable } from "../pg";

/**
 * WAL positions are read as byte offsets (`pg_lsn - '0/0'`, a numeric, as text): comparing and
 * subtracting them is then plain bigint arithmetic, with no LSN parsing on this side.
 */
const offset = (lsn: string) => `(${lsn} - '0/0'::pg_lsn)::text`;

/**
 * The primary's WAL insert position: every transaction committed before this call ends at or
 * before it (also with `synchronous_commit = off`, where the written position may still trail).
 * When the last record ended at a page boundary, the insert position points past the next page's
 * header (24 bytes; 40 at a segment's start), where no record can end, while a standby that
 * replayed everything reports the boundary: the header is left out, or an idle primary would look
 * 24 or 40 bytes ahead of its replicas for good.
 */
export async function walInsertPosition(db: Queryable): Promise<bigint> {
  const { rows } = await db.query<{ pos: string }>(
    `WITH w AS (
       SELECT pg_current_wal_insert_lsn() - '0/0'::pg_lsn AS pos,
              (SELECT setting::numeric FROM pg_settings WHERE name = 'wal_segment_size') AS segment,
              (SELECT setting::numeric FROM pg_settings WHERE name = 'wal_block_size') AS page
     )
     SELECT (CASE WHEN pos % segment = 40 THEN pos - 40 WHEN pos % page = 24 THEN pos - 24 ELSE pos END)::text AS pos
     FROM w`,
  );
  return BigInt(rows[0]?.pos ?? "0");
}

export interface ReplayState {
  /** False when the server is not a standby (a promoted replica, or a primary named by mistake). */
  readonly standby: boolean;
  /** WAL replayed so far: what queries on the standby see. */
  readonly replayed: bigint;
  /** Since the last replayed transaction committed on the primary (null before any). */
  readonly sinceLastReplayMs: number | null;
}

/** Where a standby's replay stands. */
export async function replayState(db: Queryable): Promise<ReplayState> {
  const { rows } = await db.query<{ standby: boolean; replayed: string | null; since: number | null }>(
    `SELECT pg_is_in_recovery() AS standby, ${offset("pg_last_wal_replay_lsn()")} AS replayed,
            (extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000)::float8 AS since`,
  );
  const row = rows[0];
  return {
    standby: row?.standby ?? false,
    replayed: BigInt(row?.replayed ?? "0"),
    sinceLastReplayMs: row?.since ?? null,
  };
}
