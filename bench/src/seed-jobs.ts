import type { System } from "@jobstream/testing";

/** Orgs and users the seeded rows spread over (org `md5('org' || k)`, user `md5('user' || k)`). */
export const SEED_ORGS = 1000;
export const SEED_USERS_PER_ORG = 10;

export interface SeedOptions {
  /** How far back `created_at` spreads, evenly, from now (default a week). */
  readonly spanSeconds?: number;
}

/**
 * Seeds `rows` jobs in one SQL statement: 1,000 orgs × 10 users, mixed statuses (5 % running,
 * failed, queued and cancelled each, the rest completed) with durations of 0.2–5.2 s, names
 * `Import <g>`, and metadata `{ shop: "shop-<g % 997>", campaign: "c<g % 10>", ticket: <g> }`
 * (one value in 997, one in 10, and a unique one to search for).
 */
export async function seedJobs(sys: System, rows: number, options: SeedOptions = {}): Promise<void> {
  await sys.query(
    `INSERT INTO jobs (id, org_id, user_id, type, subtype, name, queue, status, attempts, max_attempts, input,
                       metadata, expires_at,
                       created_at, started_at, completed_at, cancelled_at, duration_ms, progress_percent,
                       total_items, processed_items)
     SELECT gen_random_uuid(),
            md5('org' || (g % $2))::uuid,
            md5('user' || (g % ($2 * $3)))::uuid,
            'synthetic', 'work', 'Import ' || g, 'synthetic',
            s.status::job_status,
            1, 3, '{"items": 10}',
            jsonb_build_object('shop', 'shop-' || (g % 997), 'campaign', 'c' || (g % 10), 'ticket', g),
            now() + interval '30 days',
            t.created, t.created,
            CASE WHEN s.status IN ('completed', 'failed') THEN t.created + t.duration END,
            CASE WHEN s.status = 'cancelled' THEN t.created + t.duration END,
            CASE WHEN s.status IN ('completed', 'failed', 'cancelled') THEN extract(epoch FROM t.duration) * 1000 END,
            CASE WHEN s.status = 'completed' THEN 100 ELSE 50 END, 10, 10
     FROM generate_series(1, $1) AS g,
          LATERAL (SELECT CASE g % 20 WHEN 0 THEN 'running' WHEN 1 THEN 'failed' WHEN 2 THEN 'queued'
                                      WHEN 3 THEN 'cancelled' ELSE 'completed' END AS status) AS s,
          LATERAL (SELECT now() - (g::float8 / $1 * $4) * interval '1 second' AS created,
                          (200 + (g::bigint * 7919) % 5000) * interval '1 millisecond' AS duration) AS t`,
    [rows, SEED_ORGS, SEED_USERS_PER_ORG, options.spanSeconds ?? 604_800],
  );
  await sys.query("ANALYZE jobs");
}
