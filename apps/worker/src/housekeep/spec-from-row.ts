import type { DispatchableJob } from "@jobstream/db";
import { resolveJobKind } from "@jobstream/job-types";
import { storedOptionsSchema, type EnqueueSpec } from "@jobstream/queue";

/** Rebuilds a job's BullMQ job from its row; `attemptBase` attempts were already made. */
export function specFromRow(row: DispatchableJob, attemptBase: number): EnqueueSpec {
  const resolved = resolveJobKind(row.type, row.subtype);
  const defaults = resolved.ok ? resolved.kind.definition.defaults : undefined;
  const options = storedOptionsSchema.safeParse(row.options);
  const stored = options.success ? options.data : {};
  return {
    id: row.id,
    type: row.type,
    subtype: row.subtype,
    input: row.input,
    priority: row.priority,
    attemptBase,
    attempts: Math.max(1, row.maxAttempts - attemptBase),
    backoff: stored.backoff ?? defaults?.backoff ?? { type: "fixed", delayMs: 1000 },
    timeoutMs: stored.timeoutMs ?? defaults?.timeoutMs,
    runAt: row.runAt,
  };
}
