// How flows run: children first, the parent after them with their outputs, failure policies,
// nesting, batches, and children a running handler adds.
import { describe, expect } from "vitest";
import { syntheticWork as work } from "@jobstream/testing";
import { enqueueFlow, it, rows, type Answer } from "./flows-fixture";

describe("flows", () => {
  it("starts the parent after its last child finished and gives it the children's outputs", async ({ sys, member }) => {
    const answer = await enqueueFlow(sys, member, {
      type: "synthetic",
      subtype: "gather",
      input: {},
      children: [work({ durationMs: 300, output: "a" }), work({ durationMs: 900, output: "b" }), work({ output: "c" })],
    });
    expect(["waiting_children", "pending"]).toContain(answer.job.status);
    const children = answer.children ?? [];
    expect(children).toHaveLength(3);
    const parent = await sys.waitForStatus(member, answer.job.id, "completed");
    const byId = await rows(sys, [answer.job.id, ...children.map((c) => c.job.id)]);
    const parentRow = byId.get(answer.job.id);
    const lastChildEnd = Math.max(...children.map((c) => byId.get(c.job.id)?.finished?.getTime() ?? Infinity));
    expect(parentRow?.started?.getTime()).toBeGreaterThanOrEqual(lastChildEnd);
    expect(parent.output).toEqual({
      children: children.map((c, i) => ({
        id: c.job.id,
        status: "completed",
        output: { echo: ["a", "b", "c"][i], items: 0 },
      })),
    });
    const events = await sys.query<{ type: string }>(
      `SELECT type::text FROM job_events WHERE job_id = $1 ORDER BY created_at, id`,
      [answer.job.id],
    );
    expect(events.map((e) => e.type)).toEqual(["created", "queued", "started", "completed"]);
  });

  it("fails the parent with child_failed naming the child under the default policy", async ({ sys, member }) => {
    const answer = await enqueueFlow(sys, member, {
      type: "synthetic",
      subtype: "gather",
      input: {},
      children: [work({ durationMs: 200 }), work({ failAttempts: 5 }, { maxAttempts: 1, name: "doomed" })],
    });
    const [ok, doomed] = (answer.children ?? []).map((c) => c.job.id);
    const parent = await sys.waitForStatus(member, answer.job.id, "failed");
    expect(parent.error?.code).toBe("child_failed");
    expect(parent.error?.message).toContain(String(doomed));
    expect(parent.error?.message).toContain("doomed");
    const byId = await rows(sys, [String(ok), String(doomed), answer.job.id]);
    expect(byId.get(String(ok))?.status).toBe("completed");
    expect(byId.get(String(doomed))?.status).toBe("failed");
    // The parent's handler never ran.
    expect(byId.get(answer.job.id)?.started).toBeNull();
  });

  it("runs the parent anyway under onChildFailure: ignore", async ({ sys, member }) => {
    const answer = await enqueueFlow(sys, member, {
      type: "synthetic",
      subtype: "gather",
      input: {},
      onChildFailure: "ignore",
      children: [work({}), work({ failAttempts: 5 }, { maxAttempts: 1 })],
    });
    const parent = await sys.waitForStatus(member, answer.job.id, "completed");
    const statuses = (parent.output as { children: { status: string }[] }).children.map((c) => c.status);
    expect(statuses).toEqual(["completed", "failed"]);
  });

  it("runs nested flows bottom-up: grandchildren, then children, then the root", async ({ sys, member }) => {
    const answer = await enqueueFlow(sys, member, {
      type: "synthetic",
      subtype: "gather",
      input: {},
      children: [
        {
          type: "synthetic",
          subtype: "gather",
          input: {},
          children: [work({ durationMs: 300, output: 1 }), work({ output: 2 })],
        },
        work({ durationMs: 100, output: 3 }),
      ],
    });
    const [middle, leaf] = answer.children ?? [];
    const grandchildren = middle?.children ?? [];
    expect(grandchildren).toHaveLength(2);
    expect(middle?.job.status).toBe("waiting_children");
    await sys.waitForStatus(member, answer.job.id, "completed");
    const ids = [answer.job.id, String(middle?.job.id), String(leaf?.job.id), ...grandchildren.map((g) => g.job.id)];
    const byId = await rows(sys, ids);
    for (const id of ids) expect(byId.get(id)?.status).toBe("completed");
    const middleRow = byId.get(String(middle?.job.id));
    for (const g of grandchildren)
      expect(middleRow?.started?.getTime()).toBeGreaterThanOrEqual(byId.get(g.job.id)?.finished?.getTime() ?? Infinity);
    expect(byId.get(answer.job.id)?.started?.getTime()).toBeGreaterThanOrEqual(
      middleRow?.finished?.getTime() ?? Infinity,
    );
    expect(middleRow?.output).toEqual({
      children: grandchildren.map((g, i) => ({ id: g.job.id, status: "completed", output: { echo: i + 1, items: 0 } })),
    });
  });

  it("takes children on each job of a batch", async ({ sys, member }) => {
    const flow = (output: string) => ({
      type: "synthetic",
      subtype: "gather",
      input: {},
      children: [work({ output })],
    });
    const res = await sys.request<{ jobs: Answer[] }>("POST", "/v1/jobs/batch", {
      token: member,
      body: { jobs: [flow("one"), flow("two")] },
    });
    expect(res.status).toBe(202);
    for (const [i, answer] of res.body.jobs.entries()) {
      expect(answer.children).toHaveLength(1);
      const done = await sys.waitForStatus(member, answer.job.id, "completed");
      expect(done.output).toEqual({
        children: [
          { id: answer.children?.[0]?.job.id, status: "completed", output: { echo: ["one", "two"][i], items: 0 } },
        ],
      });
    }
  });
});

describe("children added by a running handler", () => {
  it("stores them under the job (same org and user), waits for them, then runs again with their outputs", async ({
    sys,
    member,
  }) => {
    const job = await sys.enqueue(member, {
      type: "synthetic",
      subtype: "gather",
      input: { spawn: 3, childInput: { durationMs: 200, output: "spawned" } },
    });
    const done = await sys.waitForStatus(member, job.id, "completed");
    const listed = await sys.request<{ jobs: { id: string; status: string; parentId: string }[] }>(
      "GET",
      `/v1/jobs/${job.id}/children`,
      { token: member },
    );
    expect(listed.status).toBe(200);
    expect(listed.body.jobs).toHaveLength(3);
    const output = done.output as { children: { id: string; status: string; output: unknown }[] };
    expect(output.children.map((c) => c.id).sort()).toEqual(listed.body.jobs.map((c) => c.id).sort());
    for (const child of output.children)
      expect(child).toMatchObject({ status: "completed", output: { echo: "spawned", items: 0 } });
    const owners = await sys.query<{ org_id: string; user_id: string | null; parent_id: string }>(
      "SELECT org_id::text, user_id::text, parent_id::text FROM jobs WHERE id = ANY($1::uuid[]) OR id = $2",
      [output.children.map((c) => c.id), job.id],
    );
    expect(new Set(owners.map((o) => `${o.org_id}/${String(o.user_id)}`)).size).toBe(1);
    const view = await sys.request<{ children: { total: number; counts: Record<string, number>; progress: number } }>(
      "GET",
      `/v1/jobs/${job.id}`,
      { token: member },
    );
    expect(view.body.children).toEqual({ total: 3, counts: { completed: 3 }, progress: 100 });
    const events = await sys.query<{ type: string }>(
      "SELECT type::text FROM job_events WHERE job_id = $1 ORDER BY created_at, id",
      [job.id],
    );
    // The handler ran twice: once to add the children, once after they finished.
    expect(events.map((e) => e.type)).toEqual(["created", "queued", "started", "started", "completed"]);
  });
});
