import { nonFinalJobStatuses } from "../status";
import type { Queryable } from "../pg";

/**
 * An org's unfinished jobs, counted up to `atMost` (the quota check only needs to know whether
 * the limit is reached). Served by `jobs_org_status_idx`: one bounded index range per status.
 */
export async function countUnfinishedJobs(db: Queryable, orgId: string, atMost: number): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (
       SELECT 1 FROM jobs WHERE org_id = $1::uuid AND status = ANY($2::job_status[]) LIMIT $3
     ) s`,
    [orgId, [...nonFinalJobStatuses], atMost],
  );
  return rows[0]?.n ?? 0;
}
