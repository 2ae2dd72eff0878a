-- Idempotency: the hash of the normalized enqueue request, so a key sent again with a different
-- request is refused (409 idempotency_key_reused) instead of silently answering the old job.
-- Null on rows stored before this column existed: those keys answer as before.
ALTER TABLE "jobs" ADD COLUMN "request_hash" TEXT;

-- Quotas: counting an org's unfinished jobs at enqueue (bounded by the limit).
CREATE INDEX "jobs_org_status_idx" ON "jobs"("org_id", "status");

-- Queue controls taken through bull-board (pause/resume), recorded so Postgres shows them too.
CREATE TABLE "queue_states" (
    "queue" TEXT NOT NULL,
    "paused" BOOLEAN NOT NULL,
    "changed_by" UUID,
    "changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "queue_states_pkey" PRIMARY KEY ("queue")
);
