-- AlterTable
ALTER TABLE "webhook_deliveries" ADD COLUMN     "group_id" TEXT;

-- CreateTable
CREATE TABLE "group_counts" (
    "group_id" TEXT NOT NULL,
    "org_id" UUID NOT NULL,
    "user_key" UUID NOT NULL,
    "status" "job_status" NOT NULL,
    "jobs" INTEGER NOT NULL DEFAULT 0,
    "progress_sum" DECIMAL(14,2) NOT NULL DEFAULT 0,
    "first_at" TIMESTAMPTZ(3) NOT NULL,
    "entered_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "group_counts_pkey" PRIMARY KEY ("group_id","org_id","user_key","status")
);

-- CreateTable
CREATE TABLE "groups" (
    "org_id" UUID NOT NULL,
    "group_id" TEXT NOT NULL,
    "unfinished" INTEGER NOT NULL DEFAULT 0,
    "completions" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "groups_pkey" PRIMARY KEY ("org_id","group_id")
);


-- Groups (issue 14). Triggers on `jobs` keep `group_counts` and `groups` current in the transaction
-- that changes a job, whoever changes it (API enqueue and actions, mirror batches, reconciler,
-- retention): reading a group sums at most (owners x 8 statuses) rows, never the group's jobs.
-- Jobs without a group cost nothing (each trigger's WHEN); a progress update of a grouped job is
-- one upsert; a status change two, plus one update of the group's row when it crosses final/unfinished.

CREATE FUNCTION "group_finish_time"(j "jobs") RETURNS timestamptz LANGUAGE sql STABLE AS $$
    SELECT coalesce(CASE j."status" WHEN 'cancelled' THEN j."cancelled_at"
                                     WHEN 'completed' THEN j."completed_at"
                                     WHEN 'failed' THEN j."completed_at" END, now())
$$;

-- PL/pgSQL, not SQL: its INSERT's plan is cached per session (a SQL function called from PL/pgSQL is
-- planned again on every call, which doubled the cost of a grouped job's update).
CREATE FUNCTION "group_counts_add"(g text, o uuid, u uuid, s "job_status", n int, p numeric, first timestamptz,
                                   entered timestamptz) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO "group_counts" AS c
        ("group_id", "org_id", "user_key", "status", "jobs", "progress_sum", "first_at", "entered_at")
    VALUES (g, o, coalesce(u, '00000000-0000-0000-0000-000000000000'), s, n, p, first, entered)
    ON CONFLICT ("group_id", "org_id", "user_key", "status") DO UPDATE SET
        "jobs" = c."jobs" + excluded."jobs",
        "progress_sum" = c."progress_sum" + excluded."progress_sum",
        "first_at" = least(c."first_at", excluded."first_at"),
        "entered_at" = CASE WHEN excluded."jobs" > 0 THEN greatest(c."entered_at", excluded."entered_at")
                            ELSE c."entered_at" END;
END;
$$;

-- The group view (`GET /v1/groups/:id` and the group.completed payload): the one definition of it.
-- o null: every org (services, operators); u null: every owner (admins). Progress is the mean over
-- the jobs of their progress, a completed or cancelled job counting 100 (nothing more will run),
-- a failed one where it stopped (a group with failures never shows 100). finishedAt: when the
-- last job became final, null while any is unfinished. Null when no job of the group is visible.
CREATE FUNCTION "group_view"(g text, o uuid, u uuid) RETURNS jsonb LANGUAGE sql STABLE AS $$
    WITH rows AS (
        SELECT c."status", sum(c."jobs")::int AS jobs, sum(c."progress_sum") AS progress_sum,
               min(c."first_at") AS first_at, max(c."entered_at") FILTER (WHERE c."jobs" > 0) AS entered_at
        FROM "group_counts" c
        WHERE c."group_id" = g AND (o IS NULL OR c."org_id" = o) AND (u IS NULL OR c."user_key" = u)
        GROUP BY c."status"
    ),
    totals AS (
        SELECT coalesce(sum(jobs), 0)::int AS total,
               coalesce(sum(jobs) FILTER (WHERE "status" NOT IN ('completed', 'failed', 'cancelled')), 0) AS open,
               sum(CASE WHEN "status" IN ('completed', 'cancelled') THEN jobs * 100 ELSE progress_sum END) AS done,
               min(first_at) AS created,
               max(entered_at) FILTER (WHERE "status" IN ('completed', 'failed', 'cancelled')) AS finished
        FROM rows
    )
    SELECT CASE WHEN t.total = 0 THEN NULL ELSE jsonb_build_object(
        'id', g,
        'total', t.total,
        'counts', (SELECT jsonb_object_agg(s, coalesce((SELECT r.jobs FROM rows r WHERE r."status" = s), 0))
                   FROM unnest(enum_range(NULL::"job_status")) AS s),
        'progress', round(t.done / t.total, 2)::float8,
        'createdAt', "webhook_iso"(t.created),
        'finishedAt', CASE WHEN t.open > 0 THEN NULL ELSE "webhook_iso"(t.finished) END) END
    FROM totals t
$$;

-- Lock order, to keep concurrent writers of one group (mirrors of several queues, API enqueues,
-- cancels) from deadlocking: every invocation takes the org group's `groups` row first, then its
-- `group_counts` rows. The `groups` row lock also orders finishes: exactly one transaction sees the
-- last unfinished job finish.
CREATE FUNCTION "groups_follow_jobs"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    was_open int := 0;
    is_open int := 0;
    left_open int;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        was_open := (OLD."status" NOT IN ('completed', 'failed', 'cancelled'))::int;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        is_open := (NEW."status" NOT IN ('completed', 'failed', 'cancelled'))::int;
    END IF;
    IF TG_OP = 'INSERT' THEN
        -- A new job reopens a finished group; its next completion is a new group.completed.
        INSERT INTO "groups" AS gr ("org_id", "group_id", "unfinished", "created_at")
        VALUES (NEW."org_id", NEW."group_id", is_open, NEW."created_at")
        ON CONFLICT ("org_id", "group_id") DO UPDATE SET
            "unfinished" = gr."unfinished" + excluded."unfinished",
            "finished_at" = CASE WHEN excluded."unfinished" > 0 THEN NULL ELSE gr."finished_at" END;
        PERFORM "group_counts_add"(NEW."group_id", NEW."org_id", NEW."user_id", NEW."status", 1,
                                   NEW."progress_percent", NEW."created_at", "group_finish_time"(NEW));
        RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD."group_id" IS NOT DISTINCT FROM NEW."group_id" THEN
        IF is_open = was_open THEN
            PERFORM 1 FROM "groups" WHERE "org_id" = NEW."org_id" AND "group_id" = NEW."group_id" FOR NO KEY UPDATE;
            IF OLD."status" = NEW."status" THEN
                -- Progress only (most of the mirror's updates): one upsert.
                PERFORM "group_counts_add"(NEW."group_id", NEW."org_id", NEW."user_id", NEW."status", 0,
                                           NEW."progress_percent" - OLD."progress_percent", NEW."created_at", now());
                RETURN NULL;
            END IF;
        ELSE
            UPDATE "groups" SET
                "unfinished" = "unfinished" + is_open - was_open,
                "finished_at" = CASE WHEN "unfinished" + is_open - was_open = 0 THEN "group_finish_time"(NEW) END,
                "completions" = "completions" + ("unfinished" + is_open - was_open = 0)::int
            WHERE "org_id" = NEW."org_id" AND "group_id" = NEW."group_id"
            RETURNING "unfinished" INTO left_open;
        END IF;
        PERFORM "group_counts_add"(OLD."group_id", OLD."org_id", OLD."user_id", OLD."status", -1,
                                   -OLD."progress_percent", OLD."created_at", now());
        PERFORM "group_counts_add"(NEW."group_id", NEW."org_id", NEW."user_id", NEW."status", 1,
                                   NEW."progress_percent", NEW."created_at", "group_finish_time"(NEW));
        IF is_open < was_open AND left_open = 0 THEN
            -- Fixed now (the counts above included), like the job events: the org's whole group (a
            -- webhook is per org, admin-managed).
            INSERT INTO "webhook_deliveries" ("id", "webhook_id", "job_id", "group_id", "event", "payload")
            SELECT gen_random_uuid(), w."id", NEW."id", NEW."group_id", 'group.completed',
                   jsonb_build_object('type', 'group.completed', 'timestamp', "webhook_iso"(now()),
                                      'data', "group_view"(NEW."group_id", NEW."org_id", NULL))
            FROM "webhooks" w
            WHERE w."org_id" = NEW."org_id" AND w."enabled" AND 'group.completed' = ANY (w."events");
        END IF;
        RETURN NULL;
    END IF;
    -- Deleted (retention), or moved to another group (nothing does that today). A job leaving its
    -- group never completes it: only a job becoming final does.
    IF OLD."group_id" IS NOT NULL THEN
        UPDATE "groups" SET "unfinished" = "unfinished" - was_open
        WHERE "org_id" = OLD."org_id" AND "group_id" = OLD."group_id";
        PERFORM "group_counts_add"(OLD."group_id", OLD."org_id", OLD."user_id", OLD."status", -1,
                                   -OLD."progress_percent", OLD."created_at", now());
        IF TG_OP = 'DELETE' THEN
            -- A group whose jobs are all deleted leaves no rows behind.
            DELETE FROM "group_counts" WHERE "group_id" = OLD."group_id" AND "org_id" = OLD."org_id" AND "jobs" = 0;
            DELETE FROM "groups" gr WHERE gr."org_id" = OLD."org_id" AND gr."group_id" = OLD."group_id"
              AND NOT EXISTS (SELECT 1 FROM "group_counts" c
                              WHERE c."group_id" = OLD."group_id" AND c."org_id" = OLD."org_id");
        END IF;
    END IF;
    IF TG_OP = 'UPDATE' AND NEW."group_id" IS NOT NULL THEN
        INSERT INTO "groups" AS gr ("org_id", "group_id", "unfinished", "created_at")
        VALUES (NEW."org_id", NEW."group_id", is_open, NEW."created_at")
        ON CONFLICT ("org_id", "group_id") DO UPDATE SET "unfinished" = gr."unfinished" + excluded."unfinished";
        PERFORM "group_counts_add"(NEW."group_id", NEW."org_id", NEW."user_id", NEW."status", 1,
                                   NEW."progress_percent", NEW."created_at", "group_finish_time"(NEW));
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER "jobs_groups_insert" AFTER INSERT ON "jobs"
    FOR EACH ROW WHEN (NEW."group_id" IS NOT NULL) EXECUTE FUNCTION "groups_follow_jobs"();
CREATE TRIGGER "jobs_groups_update" AFTER UPDATE OF "status", "progress_percent", "group_id" ON "jobs"
    FOR EACH ROW WHEN ((OLD."group_id" IS NOT NULL OR NEW."group_id" IS NOT NULL)
                       AND (OLD."status" IS DISTINCT FROM NEW."status"
                            OR OLD."progress_percent" IS DISTINCT FROM NEW."progress_percent"
                            OR OLD."group_id" IS DISTINCT FROM NEW."group_id"))
    EXECUTE FUNCTION "groups_follow_jobs"();
CREATE TRIGGER "jobs_groups_delete" AFTER DELETE ON "jobs"
    FOR EACH ROW WHEN (OLD."group_id" IS NOT NULL) EXECUTE FUNCTION "groups_follow_jobs"();

-- Groups of jobs stored before this migration.
INSERT INTO "group_counts"
    ("group_id", "org_id", "user_key", "status", "jobs", "progress_sum", "first_at", "entered_at")
SELECT j."group_id", j."org_id", coalesce(j."user_id", '00000000-0000-0000-0000-000000000000'), j."status", count(*),
       sum(j."progress_percent"), min(j."created_at"), max("group_finish_time"(j))
FROM "jobs" j WHERE j."group_id" IS NOT NULL
GROUP BY 1, 2, 3, 4;

INSERT INTO "groups" ("org_id", "group_id", "unfinished", "created_at", "finished_at")
SELECT j."org_id", j."group_id", count(*) FILTER (WHERE j."status" NOT IN ('completed', 'failed', 'cancelled')),
       min(j."created_at"),
       CASE WHEN bool_and(j."status" IN ('completed', 'failed', 'cancelled')) THEN max("group_finish_time"(j)) END
FROM "jobs" j WHERE j."group_id" IS NOT NULL
GROUP BY 1, 2;
