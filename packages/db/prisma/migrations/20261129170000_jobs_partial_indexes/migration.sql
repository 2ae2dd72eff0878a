-- Each version of a job row that changes an indexed column (every status change does) writes an
-- entry into every index of `jobs`. Four of them are on columns most jobs leave NULL (sub-jobs,
-- schedule runs, grouped jobs, and expires_at, set only once a job is final); as partial indexes
-- they hold only the rows that set them, and a routine job writes nothing into them. Every query
-- that uses them compares the column with `=`, `= ANY` or `<`, which implies IS NOT NULL, so the
-- planner still picks them (the ON DELETE SET NULL of parent_id and schedule_id too). Prisma does
-- not see partial indexes: schema.prisma names them in a comment instead of @@index.
DROP INDEX "jobs_parent_idx";
CREATE INDEX "jobs_parent_idx" ON "jobs" ("parent_id") WHERE "parent_id" IS NOT NULL;

DROP INDEX "jobs_schedule_created_idx";
CREATE INDEX "jobs_schedule_created_idx" ON "jobs" ("schedule_id", "created_at" DESC, "id" DESC)
  WHERE "schedule_id" IS NOT NULL;

DROP INDEX "jobs_org_group_idx";
CREATE INDEX "jobs_org_group_idx" ON "jobs" ("org_id", "group_id") WHERE "group_id" IS NOT NULL;

DROP INDEX "jobs_expires_idx";
CREATE INDEX "jobs_expires_idx" ON "jobs" ("expires_at") WHERE "expires_at" IS NOT NULL;
