-- DropIndex
DROP INDEX "job_events_job_idx";

