import type { z } from "zod";
import type { JobListFilter } from "@jobstream/db";
import type { listFilterSchema } from "./schemas";

/** `GET /v1/jobs`'s parsed filters (also a bulk action's) as the repository's filter. */
export function listFilterOf(q: z.output<typeof listFilterSchema>): JobListFilter {
  return {
    statuses: q.status,
    type: q.type,
    subtype: q.subtype,
    userId: q.userId,
    groupId: q.groupId,
    parentId: q.parentId,
    scheduleId: q.scheduleId,
    createdFrom: q.createdFrom !== undefined ? new Date(q.createdFrom) : undefined,
    createdTo: q.createdTo !== undefined ? new Date(q.createdTo) : undefined,
    search: q.q,
    metadata: q.metadata,
  };
}
