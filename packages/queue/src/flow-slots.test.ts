import { describe, expect, it } from "vitest";
import type { FlowNode } from "./flow";
import { findCrossSlot, splitAtSlots } from "./flow-slots";
import type { JobSpecSource } from "./job-spec";
import { keysFor } from "./keys";

const groups = new Map([
  ["synthetic", "synthetic"],
  ["import", "synthetic"],
]);
const cluster = keysFor("js", true, groups);
const server = keysFor("js", false, groups);

describe("findCrossSlot", () => {
  const flow = {
    type: "synthetic",
    children: [{ type: "import" }, { type: "synthetic", children: [{ type: "import" }, { type: "bulk" }] }],
  };

  it("names the first sub-job outside the root's slot, at any depth", () => {
    expect(findCrossSlot(cluster, flow)).toEqual({
      path: "children.1.children.1.type",
      type: "bulk",
      message: expect.stringMatching(/bulk sub-job cannot join a synthetic flow.*synthetic\+bulk/) as unknown,
    });
  });

  it("passes flows within one group, and a root of another type whose children share its queue", () => {
    expect(findCrossSlot(cluster, { type: "import", children: [{ type: "synthetic" }] })).toBeNull();
    expect(findCrossSlot(cluster, { type: "bulk", children: [{ type: "bulk" }] })).toBeNull();
    expect(findCrossSlot(cluster, { type: "bulk", children: [{ type: "import" }] })).toMatchObject({
      path: "children.0.type",
    });
  });

  it("passes every flow on one server, and every queue's own flows without groups", () => {
    expect(findCrossSlot(server, flow)).toBeNull();
    expect(findCrossSlot(keysFor("js", true), { type: "import", children: [{ type: "import" }] })).toBeNull();
    expect(findCrossSlot(keysFor("js", true), { type: "import", children: [{ type: "synthetic" }] })).not.toBeNull();
  });
});

describe("splitAtSlots", () => {
  const job = (id: string, type: string) => ({ id, type }) as JobSpecSource;
  const node = (id: string, type: string, children: FlowNode[] = []): FlowNode => ({ job: job(id, type), children });
  const shape = (n: FlowNode): unknown => [n.job.id, n.attachTo?.id ?? null, n.children.map(shape)];
  const tree = node("root", "synthetic", [
    node("a", "import"),
    node("b", "bulk", [node("b1", "bulk"), node("b2", "synthetic")]),
  ]);

  it("adds sub-jobs in another slot as flows of their own, cut likewise", () => {
    expect(splitAtSlots([tree], cluster).map(shape)).toEqual([
      ["root", null, [["a", null, []]]],
      ["b2", null, []],
      ["b", null, [["b1", null, []]]],
    ]);
  });

  it("attaches a root under its parent only in the same slot", () => {
    const attached = (type: string): FlowNode => ({ ...node("late", "import"), attachTo: { id: "p", type } });
    expect(splitAtSlots([attached("synthetic")], cluster).map(shape)).toEqual([["late", "p", []]]);
    expect(splitAtSlots([attached("bulk")], cluster).map(shape)).toEqual([["late", null, []]]);
  });

  it("leaves every flow whole on one server", () => {
    expect(
      splitAtSlots([tree, { ...node("late", "import"), attachTo: { id: "p", type: "bulk" } }], server).map(shape),
    ).toEqual([
      [
        "root",
        null,
        [
          ["a", null, []],
          [
            "b",
            null,
            [
              ["b1", null, []],
              ["b2", null, []],
            ],
          ],
        ],
      ],
      ["late", "p", []],
    ]);
  });
});
