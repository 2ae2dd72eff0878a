import { z } from "zod";
import { countsOf, isoDate, named } from "./fields";
import { jobStatuses } from "./status";

/** A group id as callers give it at enqueue (`groupId`) and in `/v1/groups/{groupId}`. */
export const groupIdSchema = z.string().min(1).max(200);

/**
 * A group as the caller may see it: only the jobs its token may read are counted (a member's own,
 * an admin's org's, every org's for services and operators unless they name one).
 */
export const groupViewSchema = named("Group", {
  id: groupIdSchema,
  /** Jobs of the group the caller may see. */
  total: z.number().int(),
  /** Jobs per status; every status is present (0 when none). */
  counts: z.object(countsOf(jobStatuses)),
  /**
   * 0–100: the mean of the jobs' progress, a completed or cancelled job counting 100 and a
   * failed one where it stopped (a group with a failed job never reaches 100).
   */
  progress: z.number().min(0).max(100),
  /** When its first (visible) job was created. */
  createdAt: isoDate,
  /** When its last job became final; null while any job is unfinished (a new job or a retry reopens it). */
  finishedAt: isoDate.nullable(),
});
export type GroupView = z.infer<typeof groupViewSchema>;

export const groupAnswerSchema = named("GroupAnswer", { group: groupViewSchema });
export type GroupAnswer = z.infer<typeof groupAnswerSchema>;

/** What `POST /v1/groups/{groupId}/cancel` and `/retry` answer: what was done, then the group. */
export const groupActionAnswerSchema = named("GroupActionAnswer", {
  group: groupViewSchema,
  /** Jobs the action applied to: cancelled at once, or retried. */
  done: z.number().int(),
  /** Running jobs asked to stop (cancel only; their workers record the cancel). */
  stopping: z.number().int(),
});
export type GroupActionAnswer = z.infer<typeof groupActionAnswerSchema>;
