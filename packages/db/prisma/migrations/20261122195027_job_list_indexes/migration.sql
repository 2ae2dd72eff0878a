-- DropIndex
DROP INDEX "jobs_org_user_created_idx";

-- CreateIndex
CREATE INDEX "jobs_org_user_created_idx" ON "jobs"("org_id", "user_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "jobs_created_idx" ON "jobs"("created_at" DESC, "id" DESC);

