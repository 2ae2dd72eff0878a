import type { Job } from "bullmq";
import { findFlowOwner, markFlowParent, type Queryable } from "@jobstream/db";
import { resolveJobKind, toFieldIssues } from "@jobstream/job-types";
import {
  enqueueJobs,
  findCrossSlot,
  queuedJobDataSchema,
  type EnqueueRequest,
  type OnChildFailure,
  type Producer,
} from "@jobstream/queue";
import { JobError } from "./job-error";

/** A sub-job a running handler adds: a type, its input and a label; the rest is its type's default. */
export interface ChildRequest {
  readonly type: string;
  readonly subtype?: string;
  readonly name?: string;
  readonly input: unknown;
  readonly priority?: number;
  readonly maxAttempts?: number;
}

/** Most sub-jobs one call may add (the API's per-request limit). */
const MAX_SPAWN = 1000;

/**
 * Stores a running job's new sub-jobs (one statement, inheriting its org, user and group) and adds
 * them under it in BullMQ; the job then waits for them with `waitForChildren`. A bad child fails the
 * job without retry: its input would be as bad on the next attempt. So does, on a Redis Cluster, a
 * child whose queue is in another hash slot (`flow_crosses_slots`): BullMQ could not add it under the job.
 */
export async function spawnChildren(
  deps: { readonly db: Queryable; readonly producer: Producer },
  job: Job,
  children: readonly ChildRequest[],
  onChildFailure: OnChildFailure,
): Promise<string[]> {
  const parentId = job.id ?? "";
  if (children.length > MAX_SPAWN)
    throw new JobError("invalid_child", `at most ${String(MAX_SPAWN)} sub-jobs per call`, { unrecoverable: true });
  const owner = await findFlowOwner(deps.db, parentId);
  if (owner === null) throw new JobError("job_missing", "the job's row is gone", { unrecoverable: true });
  const requests: EnqueueRequest[] = children.map((child, i) => {
    const kind = resolveJobKind(child.type, child.subtype);
    if (!kind.ok)
      throw new JobError("invalid_child", `children.${String(i)}: ${kind.message}`, { unrecoverable: true });
    const input = kind.kind.spec.input.safeParse(child.input);
    if (!input.success) {
      const issues = JSON.stringify(toFieldIssues(input.error, `children.${String(i)}.input`)).slice(0, 1000);
      throw new JobError("invalid_child", issues, { unrecoverable: true });
    }
    return {
      orgId: owner.orgId,
      userId: owner.userId,
      groupId: owner.groupId,
      type: kind.kind.type,
      subtype: kind.kind.subtype,
      name: child.name ?? `${kind.kind.type}/${kind.kind.subtype}`,
      input: input.data,
      parentId,
      priority: child.priority,
      maxAttempts: child.maxAttempts,
    };
  });
  const crossing = findCrossSlot(deps.producer.keys, { type: owner.type, children: requests });
  if (crossing !== null)
    throw new JobError("flow_crosses_slots", `${crossing.path}: ${crossing.message}`, { unrecoverable: true });
  // Postgres first, then BullMQ: a re-created parent (reconciler) checks its children before running.
  await markFlowParent(deps.db, parentId, onChildFailure);
  await job.updateData({ ...queuedJobDataSchema.parse(job.data), onChildFailure });
  const results = await enqueueJobs(
    {
      db: deps.db,
      producer: deps.producer,
      attachTo: { id: parentId, type: owner.type },
      onDispatchError: (error) => {
        throw error;
      },
    },
    requests,
  );
  return results.map((r) => r.id);
}
