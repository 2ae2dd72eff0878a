-- job_events partitioned by day of the job's creation (docs/history.md).
--
-- Every event carries its job's created_at (`job_created_at`, the partition key), so all events of a
-- job live in one partition, `(job_id, seq, job_created_at)` is as unique as `(job_id, seq)` was (the
-- mirror's "never insert an event twice"), and a day's partition can be dropped whole as soon as no
-- job created that day remains (the retention sweep deleted them all). No foreign key to jobs: a
-- cascade would delete a job's events row by row, which is what dropping partitions replaces; the
-- events of a deleted job stay unreachable (every read goes through its job) until their day goes.
--
-- The rows are copied in one INSERT ... SELECT joined to jobs (the old table had a cascading foreign
-- key, so every event has its job): the key is not in the old table, so attaching it as a partition
-- would still mean rewriting every row to add it.

ALTER TABLE "job_events" RENAME TO "job_events_unpartitioned";
ALTER TABLE "job_events_unpartitioned" RENAME CONSTRAINT "job_events_pkey" TO "job_events_unpartitioned_pkey";
ALTER INDEX "job_events_job_seq_key" RENAME TO "job_events_unpartitioned_job_seq_key";

CREATE TABLE "job_events" (
    "id" BIGINT NOT NULL DEFAULT nextval('job_events_id_seq'),
    "job_id" UUID NOT NULL,
    "type" "job_event_type" NOT NULL,
    "seq" BIGINT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "job_created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "job_events_pkey" PRIMARY KEY ("id", "job_created_at")
) PARTITION BY RANGE ("job_created_at");

ALTER SEQUENCE "job_events_id_seq" OWNED BY "job_events"."id";

CREATE UNIQUE INDEX "job_events_job_seq_key" ON "job_events"("job_id", "seq", "job_created_at");

-- The safety net: a row whose day has no partition yet (the housekeeper did not run for a week, a
-- job stored with a created_at in the past) lands here instead of failing its insert; the
-- housekeeper moves such rows into their day's partition when it creates it.
CREATE TABLE "job_events_default" PARTITION OF "job_events" DEFAULT;

-- A UTC day's partition: its name, its range of job_created_at and whether it exists, read under the
-- lock that keeps two housekeepers (or a housekeeper and a migration) from changing partitions at once.
CREATE FUNCTION jobstream_lock_event_partition(day date,
  OUT part text, OUT lo timestamptz, OUT hi timestamptz, OUT present boolean)
LANGUAGE sql VOLATILE AS $$
  SELECT format('job_events_p%s', to_char(day, 'YYYYMMDD')), day::timestamp AT TIME ZONE 'UTC',
         (day + 1)::timestamp AT TIME ZONE 'UTC',
         to_regclass(quote_ident(format('job_events_p%s', to_char(day, 'YYYYMMDD')))) IS NOT NULL
  FROM pg_advisory_xact_lock(hashtext('jobstream_event_partitions')) AS locked
$$;

-- The partition of one UTC day (`job_events_pYYYYMMDD`), unless it exists; rows of that day waiting in
-- the default partition move into it. Created apart and then attached: ATTACH takes a lighter lock on
-- job_events than CREATE TABLE ... PARTITION OF, and the CHECK spares it a scan of the new table.
-- The default partition is locked against inserts before its rows move, so that no row of the day can
-- arrive between the move and the ATTACH (which would then fail with 23514). Every lock waits at most
-- 2 s (then 55P03; the housekeeper reports the day busy and retries on its next round) rather than
-- make every writer queue behind it; the SET clause holds for the call only.
CREATE FUNCTION jobstream_ensure_event_partition(day date) RETURNS boolean
LANGUAGE plpgsql SET lock_timeout = '2s' AS $$
DECLARE
  p record := jobstream_lock_event_partition(day);
  part text := p.part;
  lo timestamptz := p.lo;
  hi timestamptz := p.hi;
BEGIN
  IF p.present THEN RETURN false; END IF;
  LOCK TABLE job_events_default IN SHARE ROW EXCLUSIVE MODE;
  -- Defaults and CHECK constraints too: ATTACH wants every CHECK of job_events on the new table.
  EXECUTE format('CREATE TABLE %I (LIKE job_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
  EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (job_created_at >= %L AND job_created_at < %L)',
                 part, part || '_range', lo, hi);
  EXECUTE format('WITH moved AS (DELETE FROM job_events_default WHERE job_created_at >= %L AND job_created_at < %L
                  RETURNING *) INSERT INTO %I SELECT * FROM moved', lo, hi, part);
  EXECUTE format('ALTER TABLE job_events ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
  EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', part, part || '_range');
  RETURN true;
END
$$;

-- Drops the partition of one UTC day if no job created that day remains (the retention sweep deleted
-- them all); false when it does not exist or a job still holds it. Jobs are checked first without a
-- lock on job_events, so a day a job still holds (unfinished jobs never expire) costs no lock at all.
-- A day that looks empty: job_events is locked (as DROP would) so that no insert of that day's events
-- is in flight, and the check repeated (a job of that day may have been stored meanwhile); an insert
-- that comes after finds no partition and lands in the default one. Waits at most 2 s for a lock
-- (then 55P03 and the next sweep tries again) rather than stall every writer queued behind it.
CREATE FUNCTION jobstream_drop_event_partition(day date) RETURNS boolean
LANGUAGE plpgsql SET lock_timeout = '2s' AS $$
DECLARE
  p record := jobstream_lock_event_partition(day);
BEGIN
  IF NOT p.present OR EXISTS (SELECT 1 FROM jobs WHERE created_at >= p.lo AND created_at < p.hi) THEN
    RETURN false;
  END IF;
  LOCK TABLE job_events IN ACCESS EXCLUSIVE MODE;
  IF EXISTS (SELECT 1 FROM jobs WHERE created_at >= p.lo AND created_at < p.hi) THEN
    RETURN false;
  END IF;
  EXECUTE format('DROP TABLE %I', p.part);
  RETURN true;
END
$$;

-- A partition for every day that has events, and for today and the next seven days (the housekeeper
-- keeps creating them ahead).
SELECT jobstream_ensure_event_partition(d)
FROM (
  SELECT DISTINCT (j."created_at" AT TIME ZONE 'UTC')::date AS d
  FROM "jobs" j WHERE EXISTS (SELECT 1 FROM "job_events_unpartitioned" e WHERE e."job_id" = j."id")
  UNION
  SELECT (now() AT TIME ZONE 'UTC')::date + k FROM generate_series(-1, 7) AS k
) days
ORDER BY d;

INSERT INTO "job_events" ("id", "job_id", "type", "seq", "data", "created_at", "job_created_at")
SELECT e."id", e."job_id", e."type", e."seq", e."data", e."created_at", j."created_at"
FROM "job_events_unpartitioned" e JOIN "jobs" j ON j."id" = e."job_id";

-- Every row must have made it (the old foreign key promises a job for each); if not, nothing changes.
DO $$
DECLARE
  old_rows bigint := (SELECT count(*) FROM "job_events_unpartitioned");
  new_rows bigint := (SELECT count(*) FROM "job_events");
BEGIN
  IF old_rows <> new_rows THEN
    RAISE EXCEPTION 'job_events: % rows in the old table but % copied', old_rows, new_rows;
  END IF;
END
$$;

DROP TABLE "job_events_unpartitioned";
