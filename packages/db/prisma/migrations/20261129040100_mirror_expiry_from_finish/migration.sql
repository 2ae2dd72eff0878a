-- Branch mirror: retention counted from the finish. A job keeps the retention it was enqueued
-- with (its own expiresInSeconds, else its type's) and gets expires_at only on reaching a final
-- status; leaving it again (a retry) clears it. A job never expires before it has run.

-- AlterTable
ALTER TABLE "jobs" ADD COLUMN "retention_seconds" INTEGER;
UPDATE "jobs" SET "retention_seconds" = least(2147483647, greatest(0, ceil(extract(epoch FROM "expires_at" - "created_at"))))::int;
ALTER TABLE "jobs" ALTER COLUMN "retention_seconds" SET NOT NULL,
    ALTER COLUMN "retention_seconds" SET DEFAULT 2592000;
ALTER TABLE "jobs" ALTER COLUMN "expires_at" DROP NOT NULL;

-- One rule for every path that changes a status (mirror batches, API cancels and transitions,
-- reconciler repairs, retries), so none of them can forget it. Fires only when the status
-- changes: the mirror's hot path pays nothing for progress updates. A row inserted already
-- final with its own expires_at (imports, fixtures) keeps it.
CREATE FUNCTION "jobs_expiry_follows_status"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW."expires_at" IS NOT NULL AND NEW."status" IN ('completed', 'failed', 'cancelled') THEN
        RETURN NEW;
    END IF;
    IF NEW."status" IN ('completed', 'failed', 'cancelled') THEN
        NEW."expires_at" := coalesce(CASE WHEN NEW."status" = 'cancelled' THEN NEW."cancelled_at" ELSE NEW."completed_at" END, now())
                            + make_interval(secs => NEW."retention_seconds");
    ELSE
        NEW."expires_at" := NULL;
    END IF;
    RETURN NEW;
END;
$$;

-- (An enqueue inserts unfinished rows without expires_at: the WHEN skips the function for them.)
CREATE TRIGGER "jobs_expiry_on_insert" BEFORE INSERT ON "jobs"
    FOR EACH ROW WHEN (NEW."status" IN ('completed', 'failed', 'cancelled') OR NEW."expires_at" IS NOT NULL)
    EXECUTE FUNCTION "jobs_expiry_follows_status"();
CREATE TRIGGER "jobs_expiry_on_status" BEFORE UPDATE OF "status" ON "jobs"
    FOR EACH ROW WHEN (OLD."status" IS DISTINCT FROM NEW."status") EXECUTE FUNCTION "jobs_expiry_follows_status"();

-- Existing rows follow the same rule (the trigger above fires on this update only where needed).
UPDATE "jobs" SET "expires_at" = CASE
    WHEN "status" IN ('completed', 'failed', 'cancelled')
    THEN coalesce(CASE WHEN "status" = 'cancelled' THEN "cancelled_at" ELSE "completed_at" END, "updated_at")
         + make_interval(secs => "retention_seconds")
    END;
