-- Completion webhooks (issue 14): per-org endpoints and their deliveries, which are also the outbox
-- the worker's delivery loop sends from.

-- CreateTable
CREATE TABLE "webhooks" (
    "id" UUID NOT NULL,
    "org_id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "events" TEXT[],
    "types" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "secret" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "disabled_reason" TEXT,
    "disabled_at" TIMESTAMPTZ(3),
    "failing_since" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhooks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" UUID NOT NULL,
    "webhook_id" UUID NOT NULL,
    "job_id" UUID NOT NULL,
    "event" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "schedule_step" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) DEFAULT CURRENT_TIMESTAMP,
    "claim_id" UUID,
    "attempt_log" JSONB NOT NULL DEFAULT '[]',
    "last_status_code" INTEGER,
    "last_error" TEXT,
    "last_latency_ms" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "webhooks_org_created_idx" ON "webhooks"("org_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "webhook_deliveries_webhook_created_idx" ON "webhook_deliveries"("webhook_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries"("status", "next_attempt_at");

-- AddForeignKey
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Postgres arrays cannot say "non-empty" in Prisma: the API refuses empty event lists, this keeps hand edits honest.
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_events_not_empty" CHECK (cardinality("events") > 0);

-- ISO-8601 with milliseconds and Z, as JavaScript's toISOString() writes it (the API's job view).
CREATE FUNCTION "webhook_iso"(ts timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- One delivery per (job that just became final x enabled webhook of its org that wants the event and
-- the type), inserted in the transaction that finished the job: an event cannot be lost between the
-- status change and the outbox, and no process has to remember to emit it (mirror batches, API
-- cancels, reconciler repairs all update `jobs`). Row-level with a WHEN: only rows that just became final
-- call it; progress updates (most of the mirror's) pay nothing. A statement-level trigger with
-- transition tables was measured first and dropped: it copies every updated row of every statement
-- (20,000 jobs, progress + finish in batches of 500, no webhooks: +20-60% on those bare UPDATEs; the
-- row-level WHEN: within noise). The body is fixed now, so a retry of the job later
-- does not change what an old event says; it is the API's job view (apps/api job-view.ts), which
-- a test compares field by field.
CREATE FUNCTION "webhook_deliveries_for_finished_jobs"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "webhook_deliveries" ("id", "webhook_id", "job_id", "event", "payload")
    SELECT gen_random_uuid(), w."id", NEW."id", 'job.' || NEW."status",
           jsonb_build_object('type', 'job.' || NEW."status", 'timestamp', "webhook_iso"(now()), 'data', jsonb_build_object(
               'id', NEW."id", 'type', NEW."type", 'subtype', NEW."subtype", 'name', NEW."name", 'status', NEW."status",
               'priority', NEW."priority", 'attempts', NEW."attempts", 'maxAttempts', NEW."max_attempts",
               'progress', jsonb_build_object('percent', NEW."progress_percent"::float8, 'message', NEW."progress_message",
                                              'step', NEW."current_step"),
               'items', jsonb_build_object('total', NEW."total_items", 'processed', NEW."processed_items",
                                           'failed', NEW."failed_items", 'skipped', NEW."skipped_items"),
               'input', NEW."input", 'output', NEW."output",
               'error', CASE WHEN NEW."error_code" IS NULL THEN NULL
                             ELSE jsonb_build_object('code', NEW."error_code", 'message', coalesce(NEW."error_message", '')) END,
               'parentId', NEW."parent_id", 'groupId', NEW."group_id", 'scheduleId', NEW."schedule_id",
               'metadata', NEW."metadata",
               'createdAt', "webhook_iso"(NEW."created_at"), 'queuedAt', "webhook_iso"(NEW."queued_at"),
               'startedAt', "webhook_iso"(NEW."started_at"), 'completedAt', "webhook_iso"(NEW."completed_at"),
               'cancelledAt', "webhook_iso"(NEW."cancelled_at"), 'durationMs', NEW."duration_ms",
               'expiresAt', "webhook_iso"(NEW."expires_at")))
    FROM "webhooks" w
    WHERE w."org_id" = NEW."org_id" AND w."enabled"
      AND ('job.' || NEW."status") = ANY (w."events")
      AND (cardinality(w."types") = 0 OR NEW."type" = ANY (w."types"));
    RETURN NULL;
END;
$$;

CREATE TRIGGER "jobs_webhook_deliveries" AFTER UPDATE OF "status" ON "jobs"
    FOR EACH ROW WHEN (OLD."status" IS DISTINCT FROM NEW."status" AND NEW."status" IN ('completed', 'failed', 'cancelled'))
    EXECUTE FUNCTION "webhook_deliveries_for_finished_jobs"();
