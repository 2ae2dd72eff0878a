import { jobTypeNames } from "@jobstream/job-types";
import { z } from "zod";

/**
 * Job types whose queues share one hash slot on a Redis Cluster (`REDIS_CLUSTER_QUEUE_GROUPS`), so a
 * flow may mix them: each grouped queue → the queue whose hash tag the group uses (its first member).
 * A queue in no group keeps its own tag. One server ignores it (every queue is reachable there).
 */
export type QueueGroups = ReadonlyMap<string, string>;

/** No groups: each queue is its own slot on a cluster. */
export const NO_QUEUE_GROUPS: QueueGroups = new Map();

/** Separates groups in `REDIS_CLUSTER_QUEUE_GROUPS`. */
const GROUP_SEPARATOR = ",";
/** Separates the job types of one group. */
const MEMBER_SEPARATOR = "+";

/**
 * `report+export,ingest+transform` → each member of a group mapped to the group's first member.
 * Whitespace around names is ignored; empty text means no groups. Throws with a message naming
 * the problem: an empty name, a group of one, a type `known` does not list, a type in two places.
 */
export function parseQueueGroups(text: string, known: readonly string[] = jobTypeNames): QueueGroups {
  const groups = new Map<string, string>();
  const entries = text
    .split(GROUP_SEPARATOR)
    .map((s) => s.trim())
    .filter((s) => s !== "");
  for (const entry of entries) {
    const members = entry.split(MEMBER_SEPARATOR).map((s) => s.trim());
    if (members.some((m) => m === ""))
      throw new Error(`"${entry}" has an empty job type (groups are type+type, separated by commas)`);
    const [first] = members;
    if (first === undefined || members.length < 2)
      throw new Error(`"${entry}" is a group of one job type; a group joins two or more with "+" (e.g. a+b)`);
    for (const member of members) {
      if (!known.includes(member)) throw new Error(`"${member}" is not a job type; known: ${known.join(", ")}`);
      if (groups.has(member)) throw new Error(`"${member}" appears more than once; a job type joins one group`);
      groups.set(member, first);
    }
  }
  return groups;
}

/** `REDIS_CLUSTER_QUEUE_GROUPS` as a zod field of an app's env schema: unset or empty means no groups. */
export const queueGroupsSchema = z.preprocess(
  (v) => (v === "" ? undefined : v),
  z
    .string()
    .optional()
    .transform((text, ctx): QueueGroups => {
      if (text === undefined) return NO_QUEUE_GROUPS;
      try {
        return parseQueueGroups(text);
      } catch (error) {
        ctx.addIssue({ code: "custom", message: (error as Error).message });
        return z.NEVER;
      }
    }),
);
