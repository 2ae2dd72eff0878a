import type { DbOrTx, Db } from "../client";
import type { Job, Prisma } from "../generated/prisma/client";

export type NewJob = Omit<Prisma.JobUncheckedCreateInput, "status" | "items" | "children">;

/**
 * Stores a job as `pending` together with its `created` event, in one transaction, so the row
 * exists before anything is put in Redis.
 */
export async function insertPendingJob(db: Db, job: NewJob): Promise<Job> {
  return db.$transaction(async (tx) => {
    const row = await tx.job.create({ data: { ...job, status: "pending" } });
    await tx.jobEvent.create({
      data: { jobId: row.id, jobCreatedAt: row.createdAt, type: "created", data: { queue: row.queue } },
    });
    return row;
  });
}

export function findJobById(db: DbOrTx, id: string): Promise<Job | null> {
  return db.job.findUnique({ where: { id } });
}

/** Who owns a job (what access checks read), or null: enough to vet a `parentId` without reading the row. */
export function findJobOwnership(
  db: DbOrTx,
  id: string,
): Promise<{ orgId: string; userId: string | null; accessTokenHash: string | null } | null> {
  return db.job.findUnique({ where: { id }, select: { orgId: true, userId: true, accessTokenHash: true } });
}

/** Of these ids, the jobs of `queue` a retry may reopen (failed or cancelled); unknown ids are skipped. */
export function findRetryableJobs(db: DbOrTx, queue: string, ids: readonly string[]): Promise<Job[]> {
  return db.job.findMany({ where: { id: { in: [...ids] }, queue, status: { in: ["failed", "cancelled"] } } });
}

/**
 * A retried job's new attempt budget, counted on from the attempts it already used, and the time
 * it was queued again. Throws when the job does not exist (a retry has just reopened it).
 */
export async function setRetryBudget(
  db: DbOrTx,
  id: string,
  budget: { readonly maxAttempts: number; readonly queuedAt: Date },
): Promise<void> {
  await db.job.update({ where: { id }, data: { maxAttempts: budget.maxAttempts, queuedAt: budget.queuedAt } });
}

export function findJobByIdempotencyKey(db: DbOrTx, orgId: string, idempotencyKey: string): Promise<Job | null> {
  return db.job.findUnique({ where: { orgId_idempotencyKey: { orgId, idempotencyKey } } });
}

/** Cancels a job that never reached Redis; false when it is no longer `pending`. */
export async function cancelPendingJob(db: Db, id: string, by = "api"): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const [job] = await tx.job.updateManyAndReturn({
      where: { id, status: "pending" },
      data: { status: "cancelled", cancelledAt: new Date(), updatedAt: new Date() },
      select: { createdAt: true },
    });
    if (job)
      await tx.jobEvent.create({ data: { jobId: id, jobCreatedAt: job.createdAt, type: "cancelled", data: { by } } });
    return job !== undefined;
  });
}
