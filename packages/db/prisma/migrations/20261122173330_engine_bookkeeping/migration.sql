-- AlterTable
ALTER TABLE "jobs" ADD COLUMN     "total_declared" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE UNIQUE INDEX "job_events_job_seq_key" ON "job_events"("job_id", "seq");

