-- DropForeignKey
ALTER TABLE "job_items" DROP CONSTRAINT "job_items_job_id_fkey";

-- Without the foreign key, a deleted job's items go with it through this trigger (what ON DELETE
-- CASCADE did). Statement-level, so a retention batch deletes all its items in one pass.
CREATE FUNCTION job_items_follow_job() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM job_items i USING deleted_jobs d WHERE i.job_id = d.id;
  RETURN NULL;
END $$;

CREATE TRIGGER job_items_follow_job AFTER DELETE ON jobs
  REFERENCING OLD TABLE AS deleted_jobs
  FOR EACH STATEMENT EXECUTE FUNCTION job_items_follow_job();
