/**
 * What a team writes by hand around a queue library: a jobs table with a status history and one
 * row per item outcome. Both peers run these same statements (pg-boss's worker through `pg`, the
 * BullMQ peer's mirror through Prisma), so they do the same work as Jobstream's pipeline: a row per
 * job, its status changes in a timeline, 10 item rows.
 */
export const PEER_SCHEMA = `
CREATE TABLE peer_jobs (
  id uuid PRIMARY KEY,
  status text NOT NULL,
  input jsonb NOT NULL,
  output jsonb,
  attempts int NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  completed_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- A dashboard's list of jobs by status.
CREATE INDEX peer_jobs_status_created ON peer_jobs (status, created_at);
CREATE TABLE peer_job_events (
  id bigserial PRIMARY KEY,
  job_id uuid NOT NULL REFERENCES peer_jobs (id) ON DELETE CASCADE,
  status text NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX peer_job_events_job ON peer_job_events (job_id);
CREATE TABLE peer_job_items (
  id bigserial PRIMARY KEY,
  job_id uuid NOT NULL REFERENCES peer_jobs (id) ON DELETE CASCADE,
  ref text NOT NULL,
  status text NOT NULL,
  after_state jsonb,
  processed_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (job_id, ref)
);`;

/** $1 ids, $2 input: the rows of a batch as `queued`, with their first timeline entry. */
export const ENQUEUE_SQL = `
WITH j AS (INSERT INTO peer_jobs (id, status, input) SELECT unnest($1::uuid[]), 'queued', $2::jsonb RETURNING id)
INSERT INTO peer_job_events (job_id, status) SELECT id, 'queued' FROM j`;

/** $1 id: the job started (a late or repeated start after completion is a no-op). */
export const START_SQL = `
WITH j AS (
  UPDATE peer_jobs SET status = 'running', started_at = now(), attempts = attempts + 1, updated_at = now()
  WHERE id = $1 AND status = 'queued' RETURNING id
)
INSERT INTO peer_job_events (job_id, status) SELECT id, 'running' FROM j`;

/** $1 id, $2 refs: the job's item outcomes. */
export const ITEMS_SQL = `
INSERT INTO peer_job_items (job_id, ref, status, after_state)
SELECT $1::uuid, unnest($2::text[]), 'success', '{}'::jsonb
ON CONFLICT (job_id, ref) DO NOTHING`;

/** $1 id, $2 output: the job completed. */
export const COMPLETE_SQL = `
WITH j AS (
  UPDATE peer_jobs SET status = 'completed', completed_at = now(), output = $2::jsonb, updated_at = now()
  WHERE id = $1 RETURNING id
)
INSERT INTO peer_job_events (job_id, status) SELECT id, 'completed' FROM j`;

/** Item refs of a job with `n` items, as Jobstream's synthetic jobs name them. */
export const itemRefs = (n: number): string[] => Array.from({ length: n }, (_, i) => `item-${i}`);
