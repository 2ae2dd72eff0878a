import type { Request } from "express";
import { readGroupView, type JobScope, type Queryable } from "@jobstream/db";
import type { GroupView } from "@jobstream/contract";
import { principalOf } from "../auth/authenticate";
import type { Principal } from "../auth/principal";
import { scopeOf } from "../auth/scope";
import { ApiError } from "../http/errors";
import { parseOr400 } from "../http/validate";
import { groupIdParamsSchema, groupQuerySchema } from "./schemas";

/** A group request: which group, whose jobs of it the caller may see, and the caller. */
export interface GroupRequest {
  readonly groupId: string;
  readonly scope: JobScope;
  readonly principal: Principal;
}

/**
 * Parses a `/v1/groups/:groupId…` request. Scopes follow the one access rule (`scopeOf`): a member
 * counts its own jobs, an admin its org's, a service or operator every org's (or `?orgId=`'s).
 */
export function groupRequestOf(req: Request): GroupRequest {
  const { groupId } = parseOr400(groupIdParamsSchema, req.params);
  const { orgId } = parseOr400(groupQuerySchema, req.query);
  const principal = principalOf(req);
  return { groupId, scope: scopeOf(principal, orgId), principal };
}

/** The group as the caller sees it; 404 when it sees none of its jobs (another org's group, too). */
export async function visibleGroup(pool: Queryable, request: GroupRequest): Promise<GroupView> {
  const view = await readGroupView(pool, request.groupId, request.scope);
  if (view === null) throw new ApiError("not_found", "no such group");
  return view;
}
