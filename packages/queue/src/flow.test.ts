import { describe, expect, it } from "vitest";
import { defaults } from "../test/job-defaults";
import { buildFlowTrees, dispatchedStatuses, flowJob, type FlowNode } from "./flow";
import { jobOptionsFor } from "./job-options";
import type { JobSpecSource } from "./job-spec";
import { keysFor } from "./keys";

const NOW = 1_000_000;

function row(id: string, parentId: string | null, extra: Partial<JobSpecSource> = {}) {
  return {
    id,
    orgId: "org",
    parentId,
    type: "synthetic",
    subtype: "work",
    input: {},
    attempts: 0,
    runAt: null,
    ...jobOptionsFor(parentId === null ? { onChildFailure: "ignore" } : {}, defaults),
    ...extra,
  };
}

describe("buildFlowTrees", () => {
  it("nests rows under their parents in the order given, at any depth", () => {
    const trees = buildFlowTrees(
      [row("root", null)],
      [row("a", "root"), row("a1", "a"), row("b", "root"), row("a2", "a"), row("stray", "elsewhere")],
    );
    const shape = (n: FlowNode): unknown => [n.job.id, n.children.map(shape)];
    expect(trees.map(shape)).toEqual([
      [
        "root",
        [
          [
            "a",
            [
              ["a1", []],
              ["a2", []],
            ],
          ],
          ["b", []],
        ],
      ],
    ]);
  });
});

describe("dispatchedStatuses", () => {
  it("says waiting_children for a job with children, delayed for a future runAt, else queued", () => {
    const [tree] = buildFlowTrees(
      [row("root", null)],
      [row("later", "root", { runAt: new Date(NOW + 5000) }), row("now", "root")],
    );
    if (!tree) throw new Error("no tree");
    expect(dispatchedStatuses([tree], NOW)).toEqual([
      { id: "root", status: "waiting_children" },
      { id: "later", status: "delayed" },
      { id: "now", status: "queued" },
    ]);
  });
});

describe("flowJob", () => {
  it("takes every node's options from jobSpec; children do not fail or strand their parent in BullMQ", () => {
    const [tree] = buildFlowTrees([row("root", null)], [row("child", "root")]);
    if (!tree) throw new Error("no tree");
    const flow = flowJob(tree, () => defaults, keysFor("jobstream", false), NOW);
    expect(flow).toMatchObject({
      queueName: "synthetic",
      name: "work",
      data: { onChildFailure: "ignore" },
      opts: { jobId: "root", attempts: 4 },
    });
    expect(flow.opts).not.toHaveProperty("parent");
    expect(flow.opts).not.toHaveProperty("ignoreDependencyOnFailure");
    expect(flow.children?.[0]?.opts).toMatchObject({ jobId: "child", ignoreDependencyOnFailure: true });
    expect(flow.children?.[0]?.data).not.toHaveProperty("onChildFailure");
  });

  it("adds a root under a parent already in Redis by its qualified queue name", () => {
    const node: FlowNode = {
      job: row("late child", "p"),
      children: [],
      attachTo: { id: "p", type: "import" },
    };
    expect(flowJob(node, () => defaults, keysFor("pfx", false), NOW)).toMatchObject({
      prefix: "pfx",
      opts: { parent: { id: "p", queue: "pfx:import" }, ignoreDependencyOnFailure: true },
    });
  });

  it("on a Redis Cluster, names each node's and the parent's queue under their hash-tagged prefix", () => {
    const node: FlowNode = { job: row("late child", "p"), children: [], attachTo: { id: "p", type: "import" } };
    expect(flowJob(node, () => defaults, keysFor("pfx", true), NOW)).toMatchObject({
      prefix: "pfx:{synthetic}",
      opts: { parent: { id: "p", queue: "pfx:{import}:import" } },
    });
  });
});
