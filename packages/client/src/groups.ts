import type { GroupActionAnswer, GroupView } from "./generated/types.ts";
import { callsOf } from "./calls.ts";
import { buildUrl, type Transport } from "./transport.ts";
import { followStream, type WatchOptions } from "./watch.ts";

export interface GroupScope {
  /** Services and operators: the group of this org only (default: the group in every org). */
  orgId?: string;
}

/** Jobs enqueued with one `groupId`: counts per status, progress, group actions. */
export interface GroupsApi {
  /** The group as the caller may see it (404 `NotFoundError` when it sees none of its jobs). */
  get(groupId: string, scope?: GroupScope, extras?: { signal?: AbortSignal }): Promise<GroupView>;
  /** The group's view on every change until every job is final (resumes across dropped connections). */
  stream(groupId: string, options?: WatchOptions & GroupScope): AsyncIterable<GroupView>;
  /** Cancels every unfinished job of the group the caller may act on. */
  cancel(groupId: string, scope?: GroupScope, extras?: { signal?: AbortSignal }): Promise<GroupActionAnswer>;
  /** Retries every failed or cancelled job of the group the caller may act on. */
  retry(groupId: string, scope?: GroupScope, extras?: { signal?: AbortSignal }): Promise<GroupActionAnswer>;
}

const path = (groupId: string, suffix = "") => `v1/groups/${encodeURIComponent(groupId)}${suffix}`;
/** A path with its query, relative to the base URL (as the transport takes it). */
const withQuery = (to: string, scope: GroupScope) => buildUrl("http://x/", to, { ...scope }).slice("http://x/".length);

export function groupsApi(transport: Transport): GroupsApi {
  const calls = callsOf(transport);
  // An action is not resent after a lost answer: the caller reads the group to see what happened.
  const act = async (to: string, scope: GroupScope, signal?: AbortSignal) =>
    (await calls.send("POST", withQuery(to, scope), { resend: false, signal })) as GroupActionAnswer;
  return {
    async get(groupId, scope = {}, extras = {}) {
      return ((await calls.read(path(groupId), { ...scope }, extras.signal)) as { group: GroupView }).group;
    },
    stream(groupId, { orgId, ...options } = {}) {
      return followStream<GroupView>(
        transport,
        {
          path: withQuery(path(groupId, "/stream"), { orgId }),
          event: "group",
          what: `group ${groupId}`,
          isDone: (group) => group.finishedAt !== null,
        },
        options,
      );
    },
    cancel: (groupId, scope = {}, extras = {}) => act(path(groupId, "/cancel"), scope, extras.signal),
    retry: (groupId, scope = {}, extras = {}) => act(path(groupId, "/retry"), scope, extras.signal),
  };
}
