// Acting on flows (cancelling a parent, retrying a failed child) and refusing bad flow requests.
import { describe, expect } from "vitest";
import { syntheticWork as work } from "@jobstream/testing";
import { enqueueFlow, it } from "./flows-fixture";

describe("flows: cancel and retry", () => {
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
