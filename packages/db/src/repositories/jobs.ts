import type { DbOrTx, Db } from "../client";
import type { Job, Prisma } from "../generated/prisma/client";

export type NewJob = Omit<Prisma.JobUncheckedCreateInput, "status" | "events" | "items" | "children">;

/**
 * Stores a job as `pending` together with its `created` event, in one transaction, so the row
 * exists before anything is put in Redis.
 */
export async function insertPendingJob(db: Db, job: NewJob): Promise<Job> {
  return db.$transaction(async (tx) => {
    const row = await tx.job.create({ data: { ...job, status: "pending" } });
    await tx.jobEvent.create({ data: { jobId: row.id, type: "created", data: { queue: row.queue } } });
    return row;
  });
}

export function findJobById(db: DbOrTx, id: string): Promise<Job | null> {
  return db.job.findUnique({ where: { id } });
}

export function findJobByIdempotencyKey(db: DbOrTx, orgId: string, idempotencyKey: string): Promise<Job | null> {
  return db.job.findUnique({ where: { orgId_idempotencyKey: { orgId, idempotencyKey } } });
}

/** Cancels a job that never reached Redis; false when it is no longer `pending`. */
export async function cancelPendingJob(db: Db, id: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.job.updateMany({
      where: { id, status: "pending" },
      data: { status: "cancelled", cancelledAt: new Date(), updatedAt: new Date() },
    });
    if (count === 1) await tx.jobEvent.create({ data: { jobId: id, type: "cancelled", data: { by: "api" } } });
    return count === 1;
  });
}
