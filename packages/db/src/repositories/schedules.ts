import { queryOne, type Queryable } from "../pg";
import { selectPage, type KeysetCursor, type Page, type PageRequest } from "./keyset";
import type { JobScope } from "./reads";

/** What a schedule is (the editable part): written on create and on every change. */
export interface ScheduleDefinition {
  readonly name: string;
  /** Exactly one of `cron` and `everyMs` (the table checks it). */
  readonly cron: string | null;
  readonly everyMs: number | null;
  readonly timezone: string;
  /** The validated enqueue request each tick stores; `unknown` when read back (older deploys). */
  readonly job: unknown;
  readonly startAt: Date | null;
  readonly endAt: Date | null;
  readonly paused: boolean;
}

export interface NewScheduleRow extends ScheduleDefinition {
  readonly id: string;
  readonly orgId: string;
  readonly userId: string | null;
}

export interface ScheduleRow extends NewScheduleRow {
  /** Bumped on every change: the scheduler in Redis carries it, so a stale one is replaced. */
  readonly revision: number;
  readonly lastRunAt: Date | null;
  readonly lastJobId: string | null;
  readonly nextRunAt: Date | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Position after the last schedule of a page: newest first, ties broken by id. */
export type ScheduleCursor = KeysetCursor;

const COLUMNS = `id::text, org_id::text AS "orgId", user_id::text AS "userId", name, cron, every_ms AS "everyMs",
  timezone, job, start_at AS "startAt", end_at AS "endAt", paused, revision, last_run_at AS "lastRunAt",
  last_job_id::text AS "lastJobId", next_run_at AS "nextRunAt", created_at AS "createdAt", updated_at AS "updatedAt"`;

const INSERT = `INSERT INTO schedules
    (id, org_id, user_id, name, cron, every_ms, timezone, job, start_at, end_at, paused)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`;

const insertParams = (s: NewScheduleRow) => [
  s.id,
  s.orgId,
  s.userId,
  s.name,
  s.cron,
  s.everyMs,
  s.timezone,
  JSON.stringify(s.job),
  s.startAt,
  s.endAt,
  s.paused,
];

export async function insertSchedule(db: Queryable, schedule: NewScheduleRow): Promise<ScheduleRow> {
  const { rows } = await db.query<ScheduleRow>(`${INSERT} RETURNING ${COLUMNS}`, insertParams(schedule));
  const row = rows[0];
  if (!row) throw new Error("insert returned no schedule");
  return row;
}

/**
 * Creates a schedule unless its id exists (system schedules at start-up: an operator's pause or
 * edit survives a restart). Answers the row as it is now.
 */
export async function ensureSchedule(db: Queryable, schedule: NewScheduleRow): Promise<ScheduleRow> {
  await db.query(`${INSERT} ON CONFLICT (id) DO NOTHING`, insertParams(schedule));
  const row = await findScheduleById(db, schedule.id);
  if (!row) throw new Error(`schedule ${schedule.id} vanished after ensure`);
  return row;
}

export async function findScheduleById(db: Queryable, id: string): Promise<ScheduleRow | null> {
  return queryOne<ScheduleRow>(db, `SELECT ${COLUMNS} FROM schedules WHERE id = $1::uuid`, [id]);
}

/** A page of the schedules a scope sees, newest first, keyset-paged on (created_at, id). */
export function listSchedules(db: Queryable, scope: JobScope, page: PageRequest): Promise<Page<ScheduleRow>> {
  const filter = "($1::uuid IS NULL OR org_id = $1::uuid) AND ($2::uuid IS NULL OR user_id = $2::uuid)";
  return selectPage(
    db,
    { select: `SELECT ${COLUMNS} FROM schedules`, filter, params: [scope.orgId, scope.userId] },
    page,
  );
}

/** Replaces a schedule's definition (a new revision); null when it does not exist. */
export async function updateSchedule(
  db: Queryable,
  id: string,
  definition: ScheduleDefinition,
): Promise<ScheduleRow | null> {
  return queryOne<ScheduleRow>(
    db,
    `UPDATE schedules SET name = $2, cron = $3, every_ms = $4, timezone = $5, job = $6, start_at = $7, end_at = $8,
       paused = $9, revision = revision + 1, updated_at = now()
     WHERE id = $1::uuid RETURNING ${COLUMNS}`,
    [
      id,
      definition.name,
      definition.cron,
      definition.everyMs,
      definition.timezone,
      JSON.stringify(definition.job),
      definition.startAt,
      definition.endAt,
      definition.paused,
    ],
  );
}

export async function deleteSchedule(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query(`DELETE FROM schedules WHERE id = $1::uuid`, [id]);
  return rowCount === 1;
}

/** When the scheduler in Redis fires next (null: never again, or paused). */
export async function setScheduleNextRun(db: Queryable, id: string, nextRunAt: Date | null): Promise<void> {
  await db.query(`UPDATE schedules SET next_run_at = $2 WHERE id = $1::uuid`, [id, nextRunAt]);
}

/**
 * Records a tick's run. A late tick (retried, or processed after a newer one) never moves
 * `last_run_at` backwards.
 */
export async function recordScheduleRun(
  db: Queryable,
  id: string,
  run: { readonly at: Date; readonly jobId: string; readonly nextRunAt: Date | null },
): Promise<void> {
  await db.query(
    `UPDATE schedules SET last_run_at = $2, last_job_id = $3::uuid, next_run_at = COALESCE($4, next_run_at)
     WHERE id = $1::uuid AND (last_run_at IS NULL OR last_run_at <= $2)`,
    [id, run.at, run.jobId, run.nextRunAt],
  );
}

/**
 * Every schedule that should have a scheduler in Redis: not paused, not past its end. The
 * housekeeper's reconcile reads them all (schedules are few compared with jobs).
 */
export async function listActiveSchedules(db: Queryable): Promise<ScheduleRow[]> {
  const { rows } = await db.query<ScheduleRow>(
    `SELECT ${COLUMNS} FROM schedules WHERE NOT paused AND (end_at IS NULL OR end_at > now()) ORDER BY id`,
  );
  return rows;
}
