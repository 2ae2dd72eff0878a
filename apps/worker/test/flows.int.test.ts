import { describe, expect } from "vitest";
import { syntheticWork as work, type System } from "@jobstream/testing";
import { systemTest } from "@jobstream/testing/fixtures";

const it = systemTest(async (sys) => {
  await sys.startApi();
  await sys.startWorker("work,mirror,housekeep");
});

interface Answer {
  job: { id: string; status: string };
  children?: Answer[];
}

interface Row {
  id: string;
  status: string;
  started: Date | null;
  finished: Date | null;
  output: unknown;
  error_code: string | null;
  error_message: string | null;
}

async function enqueueFlow(sys: System, token: string, body: Record<string, unknown>): Promise<Answer> {
  const res = await sys.request<Answer>("POST", "/v1/jobs", { token, body });
  expect(res.status).toBe(202);
  return res.body;
}

async function rows(sys: System, ids: string[]): Promise<Map<string, Row>> {
  const found = await sys.query<Row>(
    `SELECT id::text, status::text, started_at AS started, coalesce(completed_at, cancelled_at) AS finished,
            output, error_code, error_message
     FROM jobs WHERE id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(found.map((r) => [r.id, r]));
}

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

  it("cancels a parent's unfinished children with it, running ones through their worker", async ({ sys, member }) => {
    const answer = await enqueueFlow(sys, member, {
      type: "synthetic",
      subtype: "gather",
      input: {},
      children: [work({ durationMs: 30_000 }), work({}, { delayMs: 60_000 }), work({})],
    });
    const [running, delayed, quick] = (answer.children ?? []).map((c) => c.job.id);
    await sys.waitForStatus(member, String(running), "running");
    await sys.waitForStatus(member, String(quick), "completed");
    const res = await sys.request<{ job: { status: string } }>("POST", `/v1/jobs/${answer.job.id}/cancel`, {
      token: member,
    });
    expect(res.status).toBe(200);
    expect(res.body.job.status).toBe("cancelled");
    await sys.waitForStatus(member, String(running), "cancelled");
    await sys.waitForStatus(member, String(delayed), "cancelled");
    expect((await sys.job(member, String(quick))).status).toBe("completed");
  });

  it("lets a waiting parent go on when its failed child is retried", async ({ sys, member }) => {
    const answer = await enqueueFlow(sys, member, {
      type: "synthetic",
      subtype: "gather",
      input: {},
      children: [work({ durationMs: 3000 }), work({ failAttempts: 1, output: "again" }, { maxAttempts: 1 })],
    });
    const flaky = String(answer.children?.[1]?.job.id);
    await sys.waitForStatus(member, flaky, "failed");
    const retry = await sys.request("POST", `/v1/jobs/${flaky}/retry`, { token: member });
    expect(retry.status).toBe(202);
    const parent = await sys.waitForStatus(member, answer.job.id, "completed");
    expect((parent.output as { children: { status: string }[] }).children.map((c) => c.status)).toEqual([
      "completed",
      "completed",
    ]);
  });

  it("reopens a parent that failed with child_failed when that child is retried", async ({ sys, member }) => {
    const answer = await enqueueFlow(sys, member, {
      type: "synthetic",
      subtype: "gather",
      input: {},
      children: [work({ failAttempts: 1, output: "second time" }, { maxAttempts: 1 })],
    });
    const child = String(answer.children?.[0]?.job.id);
    const failed = await sys.waitForStatus(member, answer.job.id, "failed");
    expect(failed.error?.code).toBe("child_failed");
    expect((await sys.request("POST", `/v1/jobs/${child}/retry`, { token: member })).status).toBe(202);
    const parent = await sys.waitForStatus(member, answer.job.id, "completed");
    expect(parent.error).toBeNull();
    expect(parent.output).toEqual({
      children: [{ id: child, status: "completed", output: { echo: "second time", items: 0 } }],
    });
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

describe("bad flow requests: 400 naming the field, and nothing stored", () => {
  const noop = { type: "synthetic", subtype: "noop", input: {} };
  const many = (n: number) => Array.from({ length: n }, () => noop);
  it.for([
    ["more than 1,000 jobs in one flow", { ...noop, children: many(1000) }, "children"],
    [
      "more than 1,000 jobs across levels",
      { ...noop, children: many(10).map((c) => ({ ...c, children: many(100) })) },
      "children",
    ],
    [
      "a child's bad input",
      { ...noop, children: [noop, { ...noop, subtype: "work", input: { durationMs: -1 } }] },
      "children.1.input.durationMs",
    ],
    ["a child of an unknown type", { ...noop, children: [{ type: "nope", input: {} }] }, "children.0.type"],
    [
      "a bad grandchild",
      { ...noop, children: [{ ...noop, children: [{ ...noop, input: { items: -1 } }] }] },
      "children.0.children.0.input.items",
    ],
    ["an empty children list", { ...noop, children: [] }, "children"],
    ["onChildFailure without children", { ...noop, onChildFailure: "ignore" }, "onChildFailure"],
    ["an unknown onChildFailure", { ...noop, children: [noop], onChildFailure: "retry" }, "onChildFailure"],
  ] as const)("%s", async ([, body, field], { sys, member }) => {
    const name = `bad flow ${field} ${String(Math.random())}`;
    const res = await sys.request<{ error: { code: string; details: { path: string }[] } }>("POST", "/v1/jobs", {
      token: member,
      body: { ...body, name },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    expect(res.body.error.details.map((d) => d.path)).toContain(field);
    expect(await sys.query("SELECT 1 FROM jobs WHERE name = $1", [name])).toEqual([]);
  });

  it("counts every job of a batch against the 1,000", async ({ sys, member }) => {
    const flow = { ...noop, children: many(600) };
    const res = await sys.request<{ error: { details: { path: string }[] } }>("POST", "/v1/jobs/batch", {
      token: member,
      body: { jobs: [flow, flow] },
    });
    expect([res.status, res.body.error.details.map((d) => d.path)]).toEqual([400, ["jobs"]]);
  });
});
