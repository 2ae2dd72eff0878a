import { randomUUID } from "node:crypto";
import type { NewJobRow } from "./repositories/new-jobs";
import type { JobSnapshot } from "./repositories/mirror-batch";

/** A pending synthetic job row as enqueue would insert it; tests and benchmarks override what they study. */
export function newJobRow(over: Partial<NewJobRow> = {}): NewJobRow {
  const none = {
    userId: null,
    idempotencyKey: null,
    parentId: null,
    groupId: null,
    accessTokenHash: null,
    runAt: null,
  };
  const kind = { type: "synthetic", subtype: "work", name: "t", queue: "synthetic" };
  return {
    id: randomUUID(),
    orgId: randomUUID(),
    ...kind,
    ...none,
    priority: 50,
    maxAttempts: 3,
    input: {},
    metadata: {},
    options: {},
    retentionSeconds: 86_400,
    createdAt: new Date(),
    ...over,
  };
}

/** A running attempt's snapshot with nothing reported yet, as a mirror entry carries it. */
export function jobSnapshot(over: Partial<JobSnapshot> = {}): JobSnapshot {
  const unset = { message: null, step: null, total: null, output: null, error: null };
  return {
    status: "running",
    attempts: 1,
    progress: 0,
    ...unset,
    startedAt: null,
    finishedAt: null,
    durationMs: null,
    ...over,
  };
}
