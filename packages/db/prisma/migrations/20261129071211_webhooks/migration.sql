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
-- cancels, reconciler repairs all update `jobs`). Statement-level with transition tables: one join per
-- mirror batch, not one function call per row. The body is fixed now, so a retry of the job later
-- does not change what an old event says; it is the API's job view (apps/api job-view.ts), which
-- a test compares field by field.
CREATE FUNCTION "webhook_deliveries_for_finished_jobs"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "webhook_deliveries" ("id", "webhook_id", "job_id", "event", "payload")
    SELECT gen_random_uuid(), w."id", n."id", 'job.' || n."status",
           jsonb_build_object('type', 'job.' || n."status", 'timestamp', "webhook_iso"(now()), 'data', jsonb_build_object(
               'id', n."id", 'type', n."type", 'subtype', n."subtype", 'name', n."name", 'status', n."status",
               'priority', n."priority", 'attempts', n."attempts", 'maxAttempts', n."max_attempts",
               'progress', jsonb_build_object('percent', n."progress_percent"::float8, 'message', n."progress_message",
                                              'step', n."current_step"),
               'items', jsonb_build_object('total', n."total_items", 'processed', n."processed_items",
                                           'failed', n."failed_items", 'skipped', n."skipped_items"),
               'input', n."input", 'output', n."output",
               'error', CASE WHEN n."error_code" IS NULL THEN NULL
                             ELSE jsonb_build_object('code', n."error_code", 'message', coalesce(n."error_message", '')) END,
               'parentId', n."parent_id", 'groupId', n."group_id", 'metadata', n."metadata",
               'createdAt', "webhook_iso"(n."created_at"), 'queuedAt', "webhook_iso"(n."queued_at"),
               'startedAt', "webhook_iso"(n."started_at"), 'completedAt', "webhook_iso"(n."completed_at"),
               'cancelledAt', "webhook_iso"(n."cancelled_at"), 'durationMs', n."duration_ms",
               'expiresAt', "webhook_iso"(n."expires_at")))
    FROM "finished_new" n
    JOIN "finished_old" o ON o."id" = n."id"
    JOIN "webhooks" w ON w."org_id" = n."org_id" AND w."enabled"
    WHERE n."status" IN ('completed', 'failed', 'cancelled')
      AND o."status" IS DISTINCT FROM n."status"
      AND ('job.' || n."status") = ANY (w."events")
      AND (cardinality(w."types") = 0 OR n."type" = ANY (w."types"));
    RETURN NULL;
END;
$$;

CREATE TRIGGER "jobs_webhook_deliveries" AFTER UPDATE ON "jobs"
    REFERENCING OLD TABLE AS "finished_old" NEW TABLE AS "finished_new"
    FOR EACH STATEMENT EXECUTE FUNCTION "webhook_deliveries_for_finished_jobs"();
