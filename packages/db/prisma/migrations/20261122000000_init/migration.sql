-- Jobstream initial schema: jobs, job_items, job_events.
-- The CREATE statements follow Prisma's own output for prisma/schema.prisma; the CHECK
-- constraints at the end are ours (Prisma cannot express them).

-- CreateEnum
CREATE TYPE "job_status" AS ENUM ('pending', 'queued', 'delayed', 'waiting_children', 'running', 'completed', 'failed', 'cancelled');

-- CreateEnum
CREATE TYPE "job_item_status" AS ENUM ('pending', 'success', 'error', 'skipped');

-- CreateEnum
CREATE TYPE "job_event_type" AS ENUM ('created', 'queued', 'delayed', 'started', 'step', 'progress', 'retrying', 'stalled', 'requeued', 'completed', 'failed', 'cancelled', 'retried');

-- CreateTable
CREATE TABLE "jobs" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "user_id" UUID,
    "type" TEXT NOT NULL,
    "subtype" TEXT,
    "name" TEXT NOT NULL,
    "queue" TEXT NOT NULL,
    "idempotency_key" TEXT,
    "parent_id" UUID,
    "group_id" TEXT,
    "status" "job_status" NOT NULL DEFAULT 'pending',
    "priority" INTEGER NOT NULL DEFAULT 50,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "max_attempts" INTEGER NOT NULL,
    "progress_percent" DECIMAL(5,2) NOT NULL DEFAULT 0,
    "progress_message" TEXT,
    "current_step" TEXT,
    "total_items" INTEGER NOT NULL DEFAULT 0,
    "processed_items" INTEGER NOT NULL DEFAULT 0,
    "failed_items" INTEGER NOT NULL DEFAULT 0,
    "skipped_items" INTEGER NOT NULL DEFAULT 0,
    "input" JSONB NOT NULL,
    "output" JSONB,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    "options" JSONB NOT NULL DEFAULT '{}',
    "error_code" TEXT,
    "error_message" TEXT,
    "error_stack" TEXT,
    "access_token_hash" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "queued_at" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "cancelled_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "run_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" INTEGER,
    "last_event_seq" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "jobs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job_items" (
    "id" BIGSERIAL NOT NULL,
    "job_id" UUID NOT NULL,
    "ref" TEXT NOT NULL,
    "status" "job_item_status" NOT NULL DEFAULT 'pending',
    "message" TEXT,
    "error_code" TEXT,
    "before_state" JSONB,
    "after_state" JSONB,
    "attempt" INTEGER NOT NULL DEFAULT 1,
    "processed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "job_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "job_events" (
    "id" BIGSERIAL NOT NULL,
    "job_id" UUID NOT NULL,
    "type" "job_event_type" NOT NULL,
    "seq" BIGINT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "job_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "jobs_org_id_idempotency_key_key" ON "jobs"("org_id", "idempotency_key");

-- CreateIndex
CREATE INDEX "jobs_org_created_idx" ON "jobs"("org_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "jobs_org_user_created_idx" ON "jobs"("org_id", "user_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "jobs_status_updated_idx" ON "jobs"("status", "updated_at");

-- CreateIndex
CREATE INDEX "jobs_type_status_created_idx" ON "jobs"("type", "status", "created_at");

-- CreateIndex
CREATE INDEX "jobs_parent_idx" ON "jobs"("parent_id");

-- CreateIndex
CREATE INDEX "jobs_org_group_idx" ON "jobs"("org_id", "group_id");

-- CreateIndex
CREATE INDEX "jobs_expires_idx" ON "jobs"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "job_items_job_ref_key" ON "job_items"("job_id", "ref");

-- CreateIndex
CREATE INDEX "job_items_job_status_idx" ON "job_items"("job_id", "status", "id");

-- CreateIndex
CREATE INDEX "job_events_job_idx" ON "job_events"("job_id", "id");

-- AddForeignKey
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "jobs"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_items" ADD CONSTRAINT "job_items_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "job_events" ADD CONSTRAINT "job_events_job_id_fkey" FOREIGN KEY ("job_id") REFERENCES "jobs"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Checks Prisma cannot express: progress is a percentage, counters and durations never go negative.
ALTER TABLE "jobs"
    ADD CONSTRAINT "jobs_progress_percent_check" CHECK ("progress_percent" >= 0 AND "progress_percent" <= 100),
    ADD CONSTRAINT "jobs_attempts_check" CHECK ("attempts" >= 0),
    ADD CONSTRAINT "jobs_max_attempts_check" CHECK ("max_attempts" >= 1),
    ADD CONSTRAINT "jobs_items_check" CHECK ("total_items" >= 0 AND "processed_items" >= 0 AND "failed_items" >= 0 AND "skipped_items" >= 0),
    ADD CONSTRAINT "jobs_duration_ms_check" CHECK ("duration_ms" IS NULL OR "duration_ms" >= 0),
    ADD CONSTRAINT "jobs_name_check" CHECK (length("name") BETWEEN 1 AND 500),
    ADD CONSTRAINT "jobs_metadata_check" CHECK (jsonb_typeof("metadata") = 'object');

ALTER TABLE "job_items"
    ADD CONSTRAINT "job_items_attempt_check" CHECK ("attempt" >= 1),
    ADD CONSTRAINT "job_items_ref_check" CHECK (length("ref") BETWEEN 1 AND 500);
