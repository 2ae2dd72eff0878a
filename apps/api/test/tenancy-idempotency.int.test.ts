import { randomUUID } from "node:crypto";
import { describe, expect } from "vitest";
import { SYSTEM_ORG_ID } from "@jobstream/contract";
import { waitFor } from "@jobstream/testing";
import { csvOf, errorOf, fieldsOf, it, type Who } from "./tenancy-fixture";

describe("idempotency keys", () => {
  const original = { type: "synthetic", input: {}, delayMs: 3_600_000, name: "idempotent" };
  const changed = { ...original, name: "another request" };
  // What each caller gets when it sends the key the member already used in its org, with the
  // same request and with a different one. `same` = the member's job comes back. The normalized
  // request includes whom the job is for: an admin's identical body asks for a job of its own, so
  // it is a different request (409 reused; the admin may read the member's job anyway).
  const table: [Who, number | "same", number | "same"][] = [
    ["member", "same", 409],
    ["other member", 409, 409],
    ["admin", 409, 409],
    ["other org's admin", 202, 202],
    ["operator", 202, 202],
    ["service", 202, 202],
    ["job token", 401, 401],
    ["anonymous", 401, 401],
  ];
  it.for(table)("%s: same request → %s, different request → %s", async ([who, same, different], { call, pair }) => {
    const owner = await pair.as("member");
    const headers = await pair.as(who);
    for (const [body, expected] of [
      [original, same],
      [changed, different],
    ] as const) {
      const key = `key-${randomUUID()}`;
      const first = await call<{ job: { id: string } }>("POST", "/v1/jobs", owner, {
        ...original,
        idempotencyKey: key,
      });
      expect(first.status).toBe(202);
      const again = await call<{ job?: { id: string }; accessToken?: unknown }>("POST", "/v1/jobs", headers, {
        ...body,
        idempotencyKey: key,
      });
      if (expected === "same") {
        expect(again.status).toBe(200);
        expect(again.body.job?.id).toBe(first.body.job.id);
        expect(again.body.accessToken).toBeNull();
        continue;
      }
      expect(again.status, JSON.stringify(again.body)).toBe(expected);
      if (expected === 202) expect(again.body.job?.id).not.toBe(first.body.job.id);
      if (expected === 409) {
        const wanted = who === "other member" ? "idempotency_key_in_use" : "idempotency_key_reused";
        expect([errorOf(again).code, fieldsOf(again)]).toEqual([wanted, ["idempotencyKey"]]);
        // Nothing about the existing job: no id, no input, no name.
        expect(JSON.stringify(again.body)).not.toContain(first.body.job.id);
        expect(JSON.stringify(again.body)).not.toContain("idempotent");
      }
    }
  });

  it("a service acting for the member gets the member's job back, and 409 reused with another request", async ({
    call,
    pair,
  }) => {
    const { t } = pair;
    const key = `key-${randomUUID()}`;
    const first = await call<{ job: { id: string } }>("POST", "/v1/jobs", await pair.as("member"), {
      ...original,
      idempotencyKey: key,
    });
    const service = await pair.as("service");
    const onBehalf = { ...original, idempotencyKey: key, orgId: t.org, userId: t.owner };
    const same = await call<{ job: { id: string } }>("POST", "/v1/jobs", service, onBehalf);
    expect([same.status, same.body.job.id]).toEqual([200, first.body.job.id]);
    const other = await call("POST", "/v1/jobs", service, { ...onBehalf, priority: 99 });
    expect([other.status, errorOf(other).code]).toEqual([409, "idempotency_key_reused"]);
  });

  it("answers the same request with defaults spelled out or keys reordered as the same request", async ({
    call,
    pair,
  }) => {
    const headers = await pair.as("member");
    const key = `key-${randomUUID()}`;
    const first = await call<{ job: { id: string } }>("POST", "/v1/jobs", headers, {
      type: "import",
      input: csvOf(2),
      idempotencyKey: key,
    });
    const spelled = {
      idempotencyKey: key,
      input: {
        keyColumn: "k",
        hasHeader: true,
        delimiter: ",",
        columns: [{ required: false, type: "string", name: "k" }],
        csv: csvOf(2).csv,
      },
      subtype: "csv",
      type: "import",
    };
    const again = await call<{ job: { id: string } }>("POST", "/v1/jobs", headers, spelled);
    expect([again.status, again.body.job.id]).toEqual([200, first.body.job.id]);
  });

  it("refuses a whole batch over any key conflict, and one key twice with different requests", async ({
    sys,
    call,
    pair,
  }) => {
    const taken = `key-${randomUUID()}`;
    await call("POST", "/v1/jobs", await pair.as("member"), { ...original, idempotencyKey: taken });
    const group = `batch-${randomUUID()}`;
    const otherMember = await pair.as("other member");
    const inUse = await call("POST", "/v1/jobs/batch", otherMember, {
      jobs: [
        { ...original, groupId: group },
        { ...original, groupId: group, idempotencyKey: taken },
      ],
    });
    expect([inUse.status, errorOf(inUse).code, fieldsOf(inUse)]).toEqual([
      409,
      "idempotency_key_in_use",
      ["jobs.1.idempotencyKey"],
    ]);
    const twice = `key-${randomUUID()}`;
    const reused = await call("POST", "/v1/jobs/batch", otherMember, {
      jobs: [
        { ...original, groupId: group, idempotencyKey: twice },
        { ...changed, groupId: group, idempotencyKey: twice },
      ],
    });
    expect([reused.status, errorOf(reused).code, fieldsOf(reused)]).toEqual([
      409,
      "idempotency_key_reused",
      ["jobs.1.idempotencyKey"],
    ]);
    expect(await sys.query(`SELECT 1 FROM jobs WHERE group_id = $1`, [group])).toHaveLength(0);
    // The same key twice with the same request is one job.
    const dup = await call<{ jobs: { job: { id: string } }[] }>("POST", "/v1/jobs/batch", otherMember, {
      jobs: [
        { ...original, idempotencyKey: twice },
        { ...original, idempotencyKey: twice },
      ],
    });
    expect(dup.status).toBe(202);
    expect(dup.body.jobs[0]?.job.id).toBe(dup.body.jobs[1]?.job.id);
  });

  it("keeps the retention schedule's run keys in the system org, out of every tenant's reach", async ({
    sys,
    call,
    pair,
  }) => {
    const sweeps = await waitFor(
      "the housekeeper's retention sweep",
      async () => {
        const rows = await sys.query<{ org_id: string; idempotency_key: string }>(
          `SELECT org_id::text, idempotency_key FROM jobs WHERE type = 'maintenance' AND schedule_id IS NOT NULL`,
        );
        return rows.length > 0 ? rows : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(sweeps.every((s) => s.org_id === SYSTEM_ORG_ID)).toBe(true);
    const key = sweeps[0]?.idempotency_key ?? "";
    expect(key).toMatch(/^schedule:/);
    // Schedule run keys are reserved: no caller, not even a service in its own org, may send one.
    const service = await pair.as("service");
    const own = await call("POST", "/v1/jobs", service, {
      type: "maintenance",
      input: { dryRun: true, maxBatches: 1 },
      idempotencyKey: key,
    });
    expect(own.status).toBe(400);
    expect(fieldsOf(own)).toEqual(["idempotencyKey"]);
    const holders = await sys.query<{ org_id: string }>(`SELECT org_id::text FROM jobs WHERE idempotency_key = $1`, [
      key,
    ]);
    expect(holders.map((h) => h.org_id)).toEqual([SYSTEM_ORG_ID]);
  });
});
