-- Schedules (issue 14): recurring jobs. The row is the system of record; a BullMQ job scheduler
-- with the same id emits ticks, each of which enqueues `job` as an ordinary job carrying schedule_id.

-- The schedule whose tick created a job (null for jobs enqueued directly).
ALTER TABLE "jobs" ADD COLUMN     "schedule_id" UUID;

CREATE TABLE "schedules" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "user_id" UUID,
    "name" TEXT NOT NULL,
    "cron" TEXT,
    "every_ms" INTEGER,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "job" JSONB NOT NULL,
    "start_at" TIMESTAMPTZ(3),
    "end_at" TIMESTAMPTZ(3),
    "paused" BOOLEAN NOT NULL DEFAULT false,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "last_run_at" TIMESTAMPTZ(3),
    "last_job_id" UUID,
    "next_run_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "schedules_pkey" PRIMARY KEY ("id"),
    -- Exactly one of a cron pattern and a fixed interval (the API refuses both and neither).
    CONSTRAINT "schedules_cron_or_every_check" CHECK (("cron" IS NULL) <> ("every_ms" IS NULL)),
    CONSTRAINT "schedules_every_ms_check" CHECK ("every_ms" IS NULL OR "every_ms" > 0)
);

-- GET /v1/schedules for admins: an org's schedules, newest first, cursor on (created_at, id).
CREATE INDEX "schedules_org_created_idx" ON "schedules"("org_id", "created_at" DESC, "id" DESC);

-- GET /v1/schedules for members: a user's schedules, newest first, cursor on (created_at, id).
CREATE INDEX "schedules_org_user_created_idx" ON "schedules"("org_id", "user_id", "created_at" DESC, "id" DESC);

-- GET /v1/jobs?scheduleId=: a schedule's runs, newest first; also the SET NULL when a schedule is deleted.
CREATE INDEX "jobs_schedule_created_idx" ON "jobs"("schedule_id", "created_at" DESC, "id" DESC);

-- A deleted schedule leaves its runs in place, unlinked. Jobs without a schedule (NULL) skip the check.
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_schedule_id_fkey" FOREIGN KEY ("schedule_id")
    REFERENCES "schedules"("id") ON DELETE SET NULL ON UPDATE CASCADE;
