import type { ChildOutcome, JobStatusName } from "@jobstream/db";
import { isFinalStatus } from "@jobstream/db";
import type { OnChildFailure } from "@jobstream/queue";
import type { Settled } from "./decide-outcome";

/** What a flow's parent does once BullMQ hands it over: run, wait for Postgres to catch up, or fail. */
export type ChildrenVerdict =
  | { readonly kind: "run" }
  | Extract<Settled, { kind: "children_unsettled" | "child_failed" }>;

const failedStatuses: readonly JobStatusName[] = ["failed", "cancelled"];

/**
 * BullMQ releases a parent when every child is final in Redis; the parent reads its children from
 * Postgres, which the mirror may not have brought up to date yet (then it waits a moment), and
 * applies its failure policy: `fail` names the first child that failed or was cancelled.
 */
export function decideChildren(policy: OnChildFailure, children: readonly ChildOutcome[]): ChildrenVerdict {
  if (children.some((c) => !isFinalStatus(c.status))) return { kind: "children_unsettled" };
  if (policy === "ignore") return { kind: "run" };
  const failed = children.find((c) => failedStatuses.includes(c.status));
  if (failed === undefined) return { kind: "run" };
  const why =
    failed.status === "cancelled"
      ? "was cancelled"
      : `failed (${failed.errorCode ?? "unknown_error"}: ${failed.errorMessage ?? "no message"})`;
  return { kind: "child_failed", childId: failed.id, message: `child ${failed.id} "${failed.name}" ${why}` };
}
