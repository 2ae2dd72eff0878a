-- GET /v1/stats/failed and the dashboard's failed-jobs list: every failed job needs attention, the
-- ones that used all their attempts most of all (the old view kept only those with attempts left,
-- which a failure reaches only when it is unrecoverable). Same columns, so the view is replaced.
CREATE OR REPLACE VIEW "job_failed_attention" AS
SELECT "id", "org_id", "user_id", "type", "subtype", "name", "attempts", "max_attempts",
       greatest("max_attempts" - "attempts", 0) AS "attempts_left", "error_code", "error_message",
       "completed_at" AS "failed_at", "created_at"
FROM "jobs"
WHERE "status" = 'failed';
