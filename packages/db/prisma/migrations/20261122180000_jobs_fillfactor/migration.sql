-- A job row is updated several times in its life (dispatch, item counters, state snapshots).
-- Free space in each page lets updates that touch no indexed column stay on the page (HOT
-- updates) instead of writing new entries into every index of the table. Storage parameters are
-- invisible to Prisma's schema, so this does not show up as drift.
ALTER TABLE "jobs" SET (fillfactor = 80);
