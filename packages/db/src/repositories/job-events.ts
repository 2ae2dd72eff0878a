import type { Queryable } from "../pg";

/** Appends housekeeper-side timeline events that carry no queue sequence (a re-enqueue, say). */
export async function appendJobEvents(
  db: Queryable,
  events: readonly { readonly jobId: string; readonly type: string; readonly data: Record<string, unknown> }[],
): Promise<void> {
  if (events.length === 0) return;
  await db.query(
    `INSERT INTO job_events (job_id, type, data, job_created_at)
     SELECT t.job_id, t.type, t.data, jobs.created_at
     FROM unnest($1::uuid[], $2::job_event_type[], $3::jsonb[]) AS t(job_id, type, data)
     JOIN jobs ON jobs.id = t.job_id`,
    [events.map((e) => e.jobId), events.map((e) => e.type), events.map((e) => JSON.stringify(e.data))],
  );
}
