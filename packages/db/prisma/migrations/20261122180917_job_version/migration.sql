-- AlterTable
ALTER TABLE "jobs" ADD COLUMN     "version" BIGINT NOT NULL DEFAULT 0;


-- Every visible change of a job bumps its version (the id of its realtime events). A change of
-- updated_at alone (the reconciler marking a row as looked at) is not visible and bumps nothing.
CREATE FUNCTION "jobs_bump_version"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    probe "jobs";
BEGIN
    probe := NEW;
    probe.updated_at := OLD.updated_at;
    probe.version := OLD.version;
    IF probe IS DISTINCT FROM OLD THEN
        NEW.version := OLD.version + 1;
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER "jobs_bump_version" BEFORE UPDATE ON "jobs"
    FOR EACH ROW EXECUTE FUNCTION "jobs_bump_version"();
