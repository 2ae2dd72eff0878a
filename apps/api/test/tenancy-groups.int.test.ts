import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import type { GroupActionAnswer, GroupView } from "@jobstream/contract";
import { openSse } from "@jobstream/testing";
import { everyone, it, type Answer, type Pair, type Sign, type Who } from "./tenancy-fixture";

// A group id names a group within an org: the same id in two orgs is two groups. Each caller
// counts (and acts on) the jobs of it the access rule lets them see; seeing none answers 404,
// exactly like an id nobody used, so another org's group ids stay unknowable.

/** Tenant t's member puts 2 delayed jobs in the group, another member of t 1, tenant o's member 1. */
async function seed(
  pair: Pair,
  sign: Sign,
  call: <T>(method: string, path: string, headers: Record<string, string>, body?: unknown) => Promise<Answer<T>>,
) {
  const groupId = `tenancy-${randomUUID()}`;
  const job = { type: "synthetic", input: {}, delayMs: 3_600_000, groupId };
  const batch = async (headers: Record<string, string>, n: number) => {
    const res = await call("POST", "/v1/jobs/batch", headers, { jobs: Array.from({ length: n }, () => job) });
    expect(res.status).toBe(202);
  };
  await batch(await pair.as("member"), 2);
  await batch(await sign({ sub: randomUUID(), org: pair.t.org, role: "member" }), 1);
  await batch(await sign({ sub: pair.o.owner, org: pair.o.org, role: "member" }), 1);
  return groupId;
}

/** What each caller sees of the group: how many jobs (0: 404), or the status refusing it. */
const seen: Record<Who, number> = {
  member: 2,
  "other member": 0,
  admin: 3,
  "other org's admin": 1,
  operator: 4,
  service: 4,
  "job token": 401,
  anonymous: 401,
};
const statusOf = (who: Who) => (seen[who] === 401 ? 401 : seen[who] === 0 ? 404 : 200);

describe("groups: each caller counts the jobs it may see", () => {
  it.for(everyone)("%s reads and streams", async (who, { call, pair, sign, sys }) => {
    const groupId = await seed(pair, sign, call);
    const headers = await pair.as(who);
    const read = await call<{ group: GroupView }>("GET", `/v1/groups/${groupId}`, headers);
    expect(read.status, "read").toBe(statusOf(who));
    if (read.status === 200)
      expect([read.body.group.total, read.body.group.counts.delayed]).toEqual([seen[who], seen[who]]);
    const stream = await openSse(`${sys.apiUrl}/v1/groups/${groupId}/stream`, headers);
    stream.close();
    expect(stream.status, "stream").toBe(statusOf(who));
  });

  it("lets services and operators narrow to one org (orgId); other roles' orgId changes nothing", async ({
    call,
    pair,
    sign,
  }) => {
    const groupId = await seed(pair, sign, call);
    for (const [who, org, total] of [
      ["service", pair.t.org, 3],
      ["operator", pair.o.org, 1],
      ["admin", pair.o.org, 3],
      ["member", pair.o.org, 2],
    ] as const) {
      const res = await call<{ group: GroupView }>("GET", `/v1/groups/${groupId}?orgId=${org}`, await pair.as(who));
      expect([res.status, res.body.group.total], who).toEqual([200, total]);
    }
  });

  it.for(everyone)("%s cancels only what it may act on", async (who, { call, pair, sign }) => {
    const groupId = await seed(pair, sign, call);
    const res = await call<GroupActionAnswer>("POST", `/v1/groups/${groupId}/cancel`, await pair.as(who));
    expect(res.status).toBe(statusOf(who));
    if (res.status === 200) expect([res.body.done, res.body.group.counts.cancelled]).toEqual([seen[who], seen[who]]);
    // What the org's admin sees afterwards: only t's jobs the caller could act on are cancelled.
    const admin = await call<{ group: GroupView }>("GET", `/v1/groups/${groupId}`, await pair.as("admin"));
    const cancelledInT = { member: 2, admin: 3, operator: 3, service: 3 } as Partial<Record<Who, number>>;
    expect(admin.body.group.counts.cancelled).toBe(cancelledInT[who] ?? 0);

    const retried = await call<GroupActionAnswer>("POST", `/v1/groups/${groupId}/retry`, await pair.as(who));
    // Everything it cancelled (all it sees) is retried again.
    expect(retried.status, "retry").toBe(statusOf(who) === 200 ? 202 : statusOf(who));
    if (retried.status === 202) expect(retried.body.done).toBe(seen[who]);
  });
});
