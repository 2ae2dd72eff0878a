-- Branch mirror: stream entries the mirror could not apply (malformed, or refused by Postgres as
-- data), kept for operators instead of blocking every later entry of their queue.

-- CreateTable
CREATE TABLE "mirror_dead_letters" (
    "id" BIGSERIAL NOT NULL,
    "queue" TEXT NOT NULL,
    "stream_id" TEXT NOT NULL,
    "job_id" TEXT,
    "raw" TEXT NOT NULL,
    "error" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "mirror_dead_letters_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "mirror_dead_letters_queue_stream_id_key" ON "mirror_dead_letters"("queue", "stream_id");
