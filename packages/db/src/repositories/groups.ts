import { groupViewSchema, type GroupView } from "@jobstream/contract";
import type { DbOrTx } from "../client";
import type { Job } from "../generated/prisma/client";
import type { Queryable } from "../pg";
import type { JobStatusName } from "../status";
import type { JobScope } from "./reads";

/**
 * A group as `scope` may see it, from the counts the triggers on `jobs` keep (migration
 * 20261129095443_groups: the SQL function `group_view` is the one definition of the view, shared
 * with the group.completed payload). Null when the scope sees no job of the group.
 */
export async function readGroupView(db: Queryable, groupId: string, scope: JobScope): Promise<GroupView | null> {
  const { rows } = await db.query<{ view: unknown }>(`SELECT group_view($1, $2::uuid, $3::uuid) AS view`, [
    groupId,
    scope.orgId,
    scope.userId,
  ]);
  const view = rows[0]?.view;
  return view === null || view === undefined ? null : groupViewSchema.parse(view);
}

/**
 * A page of a group's jobs in `statuses`, by id after `afterId` (group cancel and retry walk
 * them). Whole rows: the single-job actions they are handed to need `input` to re-enqueue. Across
 * orgs (services), the orgs holding the group come from its counts, so `jobs_org_group_idx` serves.
 */
export async function listGroupJobs(
  db: DbOrTx,
  groupId: string,
  scope: JobScope,
  statuses: readonly JobStatusName[],
  page: { readonly afterId: string | null; readonly limit: number },
): Promise<Job[]> {
  const orgIds =
    scope.orgId !== null
      ? [scope.orgId]
      : (await db.groupCount.findMany({ where: { groupId }, select: { orgId: true }, distinct: ["orgId"] })).map(
          (row) => row.orgId,
        );
  if (orgIds.length === 0) return [];
  return db.job.findMany({
    where: {
      AND: [
        scope.userId !== null ? { userId: scope.userId } : {},
        { orgId: { in: orgIds }, groupId, status: { in: [...statuses] } },
        page.afterId !== null ? { id: { gt: page.afterId } } : {},
      ],
    },
    orderBy: { id: "asc" },
    take: page.limit,
  });
}
