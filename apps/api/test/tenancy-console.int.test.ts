import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { it, type Who } from "./tenancy-fixture";

// The operator console's reads (search by data) under the jobs' access rule.

describe("search by data (GET /v1/jobs?metadata=): the jobs' access rule", () => {
  // Who finds tenant t's member's job by its metadata: its owner, its org's admin, operators and
  // services; another member or another org's admin searching the very same value find nothing.
  const table: [Who, number, boolean][] = [
    ["member", 200, true],
    ["other member", 200, false],
    ["admin", 200, true],
    ["other org's admin", 200, false],
    ["operator", 200, true],
    ["service", 200, true],
    ["job token", 401, false],
    ["anonymous", 401, false],
  ];
  it.for(table)("%s: %i, finds it: %s", async ([who, status, finds], { sys, call, pair }) => {
    const tag = randomUUID();
    const owner = await sys.token({ sub: pair.t.owner, org: pair.t.org, role: "member" });
    const job = await sys.enqueue(owner, { type: "synthetic", input: {}, delayMs: 3_600_000, metadata: { tag } });
    // The other org holds a job with the same value: it never shows up for t's callers, nor t's for o's.
    const otherOwner = await sys.token({ sub: pair.o.owner, org: pair.o.org, role: "member" });
    const other = await sys.enqueue(otherOwner, {
      type: "synthetic",
      input: {},
      delayMs: 3_600_000,
      metadata: { tag },
    });
    const query = `/v1/jobs?metadata=${encodeURIComponent(JSON.stringify({ tag }))}`;
    const res = await call<{ jobs: { id: string }[] }>("GET", query, await pair.as(who));
    expect(res.status).toBe(status);
    if (status !== 200) return;
    const found = res.body.jobs.map((j) => j.id);
    expect(found.includes(job.id), "t's job").toBe(finds);
    // o's job: for callers who see every org, and o's own admin.
    expect(found.includes(other.id), "o's job").toBe(["operator", "service", "other org's admin"].includes(who));
  });
});
