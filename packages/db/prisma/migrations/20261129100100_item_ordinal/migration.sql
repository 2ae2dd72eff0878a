-- Items listed in the order they were reported (GET /v1/jobs/:id/items): the mirror gives each new
-- item row the next ordinal of its job. A constant default adds the column without rewriting the
-- table; rows stored before share 0 and keep their id order behind it.
ALTER TABLE "job_items" ADD COLUMN     "ordinal" BIGINT NOT NULL DEFAULT 0;

-- Keyset pages on (ordinal, id), with and without a status; the mirror reads a job's max ordinal.
DROP INDEX "job_items_job_status_idx";

CREATE INDEX "job_items_job_ordinal_idx" ON "job_items"("job_id", "ordinal", "id");

CREATE INDEX "job_items_job_status_ordinal_idx" ON "job_items"("job_id", "status", "ordinal", "id");
