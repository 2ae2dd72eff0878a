-- Monitoring views behind GET /v1/stats/*. Grouped by org so the API can scope them per caller.

-- Per org x job type x status: how many jobs and how long finished ones took, last 24 hours.
CREATE VIEW "job_queue_stats" AS
SELECT
    "org_id",
    "type",
    "status",
    count(*)::int AS "jobs",
    avg("duration_ms")::double precision AS "avg_duration_ms",
    max("duration_ms") AS "max_duration_ms",
    min("created_at") AS "oldest_created_at"
FROM "jobs"
WHERE "created_at" >= now() - interval '24 hours'
GROUP BY "org_id", "type", "status";

-- Failed jobs that still have attempts left: a retry can still succeed, so they need attention.
CREATE VIEW "job_failed_attention" AS
SELECT
    "id",
    "org_id",
    "user_id",
    "type",
    "subtype",
    "name",
    "attempts",
    "max_attempts",
    "max_attempts" - "attempts" AS "attempts_left",
    "error_code",
    "error_message",
    "completed_at" AS "failed_at",
    "created_at"
FROM "jobs"
WHERE "status" = 'failed' AND "attempts" < "max_attempts";

-- Per org x job type, last 7 days: totals, success rate over finished jobs, average duration.
CREATE VIEW "job_type_stats" AS
SELECT
    "org_id",
    "type",
    count(*)::int AS "total",
    (count(*) FILTER (WHERE "status" = 'completed'))::int AS "completed",
    (count(*) FILTER (WHERE "status" = 'failed'))::int AS "failed",
    (count(*) FILTER (WHERE "status" = 'cancelled'))::int AS "cancelled",
    (count(*) FILTER (WHERE "status" NOT IN ('completed', 'failed', 'cancelled')))::int AS "unfinished",
    CASE
        WHEN count(*) FILTER (WHERE "status" IN ('completed', 'failed')) = 0 THEN NULL
        ELSE (count(*) FILTER (WHERE "status" = 'completed'))::double precision
             / count(*) FILTER (WHERE "status" IN ('completed', 'failed'))
    END AS "success_rate",
    (avg("duration_ms") FILTER (WHERE "status" = 'completed'))::double precision AS "avg_duration_ms"
FROM "jobs"
WHERE "created_at" >= now() - interval '7 days'
GROUP BY "org_id", "type";
