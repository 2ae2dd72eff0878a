import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { openSse, unsignedToken } from "@jobstream/testing";
import { it, type Sign, type Tenant } from "./tenancy-fixture";

type Access = "read-write" | "read-only" | "none" | "unauthenticated";

interface Caller {
  name: string;
  headers: (who: { t: Tenant; o: Tenant; sign: Sign }) => Promise<Record<string, string>>;
  /** What this caller may do with tenant t's job. */
  access: Access;
  bearer: boolean;
}

const callers: Caller[] = [
  {
    name: "the owner (member)",
    access: "read-write",
    bearer: true,
    headers: ({ t, sign }) => sign({ sub: t.owner, org: t.org, role: "member" }),
  },
  {
    name: "another member of the org",
    access: "none",
    bearer: true,
    headers: ({ t, sign }) => sign({ sub: randomUUID(), org: t.org, role: "member" }),
  },
  {
    name: "an admin of the org",
    access: "read-write",
    bearer: true,
    headers: ({ t, sign }) => sign({ sub: randomUUID(), org: t.org, role: "admin" }),
  },
  {
    name: "an admin of another org",
    access: "none",
    bearer: true,
    headers: ({ o, sign }) => sign({ sub: randomUUID(), org: o.org, role: "admin" }),
  },
  {
    name: "a service",
    access: "read-write",
    bearer: true,
    headers: ({ sign }) => sign({ sub: randomUUID(), org: randomUUID(), role: "service" }),
  },
  {
    name: "an operator",
    access: "read-write",
    bearer: true,
    headers: ({ sign }) => sign({ sub: randomUUID(), org: randomUUID(), role: "operator" }),
  },
  {
    name: "anonymous with the job's token",
    access: "read-only",
    bearer: false,
    headers: ({ t }) => Promise.resolve({ "x-job-token": t.job.accessToken }),
  },
  {
    name: "anonymous with another job's token",
    access: "none",
    bearer: false,
    headers: ({ o }) => Promise.resolve({ "x-job-token": o.job.accessToken }),
  },
  { name: "no token", access: "unauthenticated", bearer: false, headers: () => Promise.resolve({}) },
  {
    name: "an expired token",
    access: "unauthenticated",
    bearer: false,
    headers: ({ t, sign }) => sign({ sub: t.owner, org: t.org, role: "admin" }, -10),
  },
  {
    name: "a forged token",
    access: "unauthenticated",
    bearer: false,
    headers: ({ t, sign }) => sign({ sub: t.owner, org: t.org, role: "admin" }, 3600, "x".repeat(48)),
  },
  {
    name: "an alg:none token",
    access: "unauthenticated",
    bearer: false,
    headers: ({ t }) => {
      const exp = Math.floor(Date.now() / 1000) + 600;
      return Promise.resolve({
        authorization: `Bearer ${unsignedToken({ sub: t.owner, org: t.org, role: "service", exp })}`,
      });
    },
  },
];

describe.each([0, 1, 2])("tenant %i", (index) => {
  it.for(callers)("$name gets exactly the allowed answers", async (caller, { sys, tenants, sign }) => {
    const t = tenants[index];
    const other = tenants[(index + 1) % 3];
    if (!t || !other) throw new Error("fixture");
    const headers = await caller.headers({ t, o: other, sign });
    const get = async (path: string) => (await sys.request("GET", path, { headers })).status;
    const post = async (path: string) => (await sys.request("POST", path, { headers })).status;
    const canRead = caller.access === "read-write" || caller.access === "read-only";
    const readStatus = caller.access === "unauthenticated" ? 401 : canRead ? 200 : 404;

    for (const path of [`/v1/jobs/${t.job.id}`, `/v1/jobs/${t.job.id}/items`, `/v1/jobs/${t.job.id}/events`]) {
      expect(await get(path), path).toBe(readStatus);
    }
    const stream = await openSse(`${sys.apiUrl}/v1/jobs/${t.job.id}/stream`, headers);
    expect(stream.status, "job stream").toBe(readStatus);
    if (stream.status === 200) await stream.waitFor("the job's state", (events) => events.length === 1);
    stream.close();

    // Actions need a bearer token with access; the job's own token only reads.
    const actionStatus = caller.access === "read-write" ? 409 : caller.bearer ? 404 : 401;
    expect(await post(`/v1/jobs/${t.job.id}/retry`), "retry").toBe(actionStatus);
    expect(await post(`/v1/jobs/${t.cancelled.id}/cancel`), "cancel").toBe(actionStatus);

    // Lists and the caller-wide stream: bearer tokens only, and the job appears only if visible.
    const list = await sys.request<{ jobs: { id: string }[] }>("GET", "/v1/jobs?limit=500", { headers });
    const active = await sys.request<{ jobs: { id: string }[] }>("GET", "/v1/jobs/active", { headers });
    const all = await openSse(`${sys.apiUrl}/v1/stream`, headers);
    if (caller.bearer) {
      expect([list.status, active.status, all.status]).toEqual([200, 200, 200]);
      const visible = caller.access === "read-write";
      expect(
        list.body.jobs.some((j) => j.id === t.job.id),
        "list",
      ).toBe(visible);
      expect(
        active.body.jobs.some((j) => j.id === t.job.id),
        "active",
      ).toBe(visible);
      const streamed = (events: typeof all.events) => events.some((e) => (e.data as { id: string }).id === t.job.id);
      // Visible: wait for it however slow the stream is. Not visible: a short wait can only miss a leak, never fail.
      if (visible) await all.waitFor("the job on the caller-wide stream", streamed);
      else await new Promise((r) => setTimeout(r, 150));
      expect(streamed(all.events), "stream").toBe(visible);
    } else {
      expect([list.status, active.status, all.status]).toEqual([401, 401, 401]);
    }
    all.close();
  });
});
