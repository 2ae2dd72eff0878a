-- POST /v1/jobs/bulk: how far a bulk job (a `maintenance/bulk` job) walked its filter, written after
-- each batch, so an attempt that follows a crashed one continues after the last job it acted on.

CREATE TABLE "bulk_progress" (
    "job_id" UUID NOT NULL,
    "after_created_at" TIMESTAMPTZ(3) NOT NULL,
    "after_id" UUID NOT NULL,
    "done" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "batches" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bulk_progress_pkey" PRIMARY KEY ("job_id")
);

ALTER TABLE "bulk_progress" ADD CONSTRAINT "bulk_progress_job_id_fkey"
    FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;
