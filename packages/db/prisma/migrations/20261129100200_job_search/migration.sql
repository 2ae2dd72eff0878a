-- Search by data (GET /v1/jobs?metadata=, ?q=). pg_trgm ships with PostgreSQL's contrib modules
-- (Debian's postgresql package, the official images) and a database owner may create it.
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- metadata @> '{"k": "v"}': jsonb_path_ops indexes containment only, smaller than the default opclass.
CREATE INDEX "jobs_metadata_idx" ON "jobs" USING GIN ("metadata" jsonb_path_ops);

-- name ILIKE '%text%': trigrams serve any substring of three characters or more.
CREATE INDEX "jobs_name_trgm_idx" ON "jobs" USING GIN ("name" gin_trgm_ops);
