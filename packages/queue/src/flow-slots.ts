import type { FlowNode } from "./flow";
import type { Keys } from "./keys";

/** A flow as requested: a job type and its sub-jobs (an enqueue request has this shape). */
export interface FlowShape {
  readonly type: string;
  readonly children?: readonly FlowShape[] | undefined;
}

/** Where a flow leaves its root's hash slot: the sub-job's field path and type. */
export interface CrossSlot {
  /** `children.1.type`, `children.0.children.2.type`: relative to the flow's root. */
  readonly path: string;
  readonly type: string;
  readonly message: string;
}

/**
 * The first sub-job (depth first, in order) whose queue has another BullMQ hash tag than the flow's
 * root, or null when the flow fits one slot; on one server (no tags) every flow fits. BullMQ adds a
 * flow in one Lua script, which a cluster refuses across slots (CROSSSLOT): callers refuse such a
 * flow before anything is stored.
 */
export function findCrossSlot(keys: Keys, flow: FlowShape): CrossSlot | null {
  const tag = keys.bullTag(flow.type);
  if (tag === null) return null;
  const walk = (node: FlowShape, path: string): CrossSlot | null => {
    for (const [i, child] of (node.children ?? []).entries()) {
      const at = `${path}children.${String(i)}`;
      if (keys.bullTag(child.type) !== tag)
        return { path: `${at}.type`, type: child.type, message: crossSlotMessage(flow.type, child.type) };
      const below = walk(child, `${at}.`);
      if (below !== null) return below;
    }
    return null;
  };
  return walk(flow, "");
}

/** Which types cannot share a flow, and the setting that would let them. */
function crossSlotMessage(rootType: string, childType: string): string {
  return (
    `a ${childType} sub-job cannot join a ${rootType} flow on this Redis Cluster: their queues are in ` +
    `different hash slots (group the types in REDIS_CLUSTER_QUEUE_GROUPS, e.g. ${rootType}+${childType})`
  );
}

/**
 * Flows cut where they would leave a hash slot, so each part is one script on a cluster: a sub-job in
 * another slot than its parent is added as a root of its own (with its own sub-jobs), and a root is not
 * attached under a parent in another slot. Only flows stored before the groups changed (or jobs merely
 * linked by `parentId`) meet this: the API and running handlers refuse such flows. A parent no longer
 * waits in BullMQ for a cut-off child, but its worker still reads its children from Postgres and waits
 * until they are final before running it. On one server nothing is cut.
 */
export function splitAtSlots(nodes: readonly FlowNode[], keys: Keys): FlowNode[] {
  /** The node with its same-slot descendants; descendants in other slots go to `parts`, cut likewise. */
  const cut = (node: FlowNode, parts: FlowNode[]): FlowNode => {
    const tag = keys.bullTag(node.job.type);
    const children: FlowNode[] = [];
    for (const child of node.children) {
      if (keys.bullTag(child.job.type) === tag) children.push(cut(child, parts));
      else parts.push(cut(child, parts));
    }
    return { job: node.job, children };
  };
  return nodes.flatMap((node) => {
    const parts: FlowNode[] = [];
    const root = cut(node, parts);
    const attachTo = node.attachTo;
    const attached = attachTo !== undefined && keys.bullTag(attachTo.type) === keys.bullTag(node.job.type);
    return [attached ? { ...root, attachTo } : root, ...parts];
  });
}
