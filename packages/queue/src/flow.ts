import type { FlowJob } from "bullmq";
import { findFlowDescendants, type DispatchableJob, type DispatchedStatus, type Queryable } from "@jobstream/db";
import type { JobDefaults } from "@jobstream/job-types";
import { jobSpec, type JobSpecSource } from "./job-spec";
import type { Keys } from "./keys";

/** A job to dispatch and its unfinished sub-jobs: a node with children is added as a BullMQ flow. */
export interface FlowNode {
  readonly job: JobSpecSource;
  readonly children: readonly FlowNode[];
  /**
   * The BullMQ parent a root is added under (its parent exists in Redis already: a running
   * handler's new children, or a child re-added beside a waiting parent). Absent: a root of its own.
   */
  readonly attachTo?: { readonly id: string; readonly type: string };
}

/** Where each dispatched job now is. */
export function dispatchedStatuses(nodes: readonly FlowNode[], at: number): { id: string; status: DispatchedStatus }[] {
  return nodes.flatMap((node) => [
    {
      id: node.job.id,
      status:
        node.children.length > 0
          ? ("waiting_children" as const)
          : node.job.runAt !== null && node.job.runAt.getTime() > at
            ? ("delayed" as const)
            : ("queued" as const),
    },
    ...dispatchedStatuses(node.children, at),
  ]);
}

/**
 * The BullMQ flow of a node: every job's options from `jobSpec`, children linked by FlowProducer,
 * each node under its own queue's BullMQ prefix (`keys.bullPrefix`). On a Redis Cluster a flow is
 * one atomic script, so all its jobs must hash to one slot (queues of one group do): the API and
 * handlers refuse other flows (`findCrossSlot`), and `Producer.dispatch` cuts stored ones
 * (`splitAtSlots`) before they get here (see docs/redis-cluster.md).
 */
export function flowJob(
  node: FlowNode,
  defaultsOf: (type: string) => JobDefaults,
  keys: Keys,
  now: number,
  fairPriorities?: ReadonlyMap<string, number>,
): FlowJob {
  const spec = jobSpec(node.job, defaultsOf(node.job.type), now, fairPriorities?.get(node.job.id));
  const parent =
    node.attachTo === undefined
      ? {}
      : { parent: { id: node.attachTo.id, queue: keys.bullQueueKey(node.attachTo.type) } };
  return {
    name: spec.name,
    queueName: spec.queue,
    prefix: keys.bullPrefix(spec.queue),
    data: spec.data,
    opts: { ...spec.opts, ...parent },
    children: node.children.map((child) => flowJob(child, defaultsOf, keys, now, fairPriorities)),
  };
}

/** Every job of the nodes, parents before their children. */
export function flowJobs(nodes: readonly FlowNode[]): JobSpecSource[] {
  return nodes.flatMap((node) => [node.job, ...flowJobs(node.children)]);
}

/** Nests rows under their parents; `roots` keep their order, children come in the order given. */
export function buildFlowTrees(
  roots: readonly JobSpecSource[],
  descendants: readonly (JobSpecSource & { readonly parentId: string | null })[],
): FlowNode[] {
  const byParent = new Map<string, JobSpecSource[]>();
  for (const row of descendants) {
    if (row.parentId === null) continue;
    const list = byParent.get(row.parentId);
    if (list) list.push(row);
    else byParent.set(row.parentId, [row]);
  }
  const seen = new Set<string>();
  const grow = (job: JobSpecSource): FlowNode => {
    seen.add(job.id);
    const children = (byParent.get(job.id) ?? []).filter((c) => !seen.has(c.id));
    return { job, children: children.map(grow) };
  };
  return roots.map(grow);
}

/**
 * Rows as the outbox and the reconciler dispatch them: each with its unfinished descendants from
 * Postgres (the system of record), so a flow Redis lost is added again whole but for the sub-jobs
 * already final. A row whose parent is unfinished is attached under it (`attachable` says which
 * parents Redis still holds); a row that is itself a descendant of another given row is left to it.
 */
export async function loadFlowTrees(
  db: Queryable,
  rows: readonly DispatchableJob[],
  attachable: (parentId: string) => { readonly type: string } | undefined,
): Promise<{ nodes: FlowNode[]; rows: DispatchableJob[] }> {
  const descendants = await findFlowDescendants(
    db,
    rows.map((r) => r.id),
  );
  const below = new Set(descendants.map((d) => d.id));
  const roots = rows.filter((r) => !below.has(r.id));
  const nodes = buildFlowTrees(roots, descendants).map((node, i) => {
    const parentId = roots[i]?.parentId ?? null;
    const parent = parentId === null ? undefined : attachable(parentId);
    return parentId === null || parent === undefined
      ? node
      : { ...node, attachTo: { id: parentId, type: parent.type } };
  });
  return { nodes, rows: [...roots, ...descendants] };
}
