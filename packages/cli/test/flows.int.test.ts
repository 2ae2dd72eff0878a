import { describe, expect } from "vitest";
import { it } from "./api-test.ts";
import { cli } from "./run-cli.ts";

const children = JSON.stringify([
  { type: "synthetic", subtype: "noop", input: {}, name: "first" },
  { type: "synthetic", subtype: "noop", input: {}, name: "second" },
]);

describe("jobstream flows", () => {
  it("enqueues a job with children and lists them with `children`", async ({ started: { env } }) => {
    const flow = ["synthetic/gather", "--input", "{}", "--children", children, "--on-child-failure", "ignore"];
    const made = await cli(["enqueue", ...flow, "--json"], env);
    expect([made.code, made.stderr]).toEqual([0, ""]);
    const parent = JSON.parse(made.stdout) as { id: string; status: string };
    // No worker runs here: the parent waits for its children.
    expect(parent.status).toBe("waiting_children");
    const listed = await cli(["children", parent.id], env);
    expect(listed.code).toBe(0);
    const rows = listed.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { name: string; parentId: string });
    expect(rows.map((r) => [r.name, r.parentId]).sort()).toEqual([
      ["first", parent.id],
      ["second", parent.id],
    ]);
    const queued = await cli(["children", parent.id, "--status", "completed"], env);
    expect([queued.code, queued.stdout]).toEqual([0, ""]);
  });

  it("shows the API's field issue for a bad child; bad flags are usage errors", async ({ started: { env } }) => {
    const bad = await cli(
      ["enqueue", "synthetic/gather", "--input", "{}", "--children", '[{"type":"synthetic","input":{"x":1}}]'],
      env,
    );
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain("children.0.input");
    const policy = await cli(
      ["enqueue", "synthetic", "--input", "{}", "--children", "[]", "--on-child-failure", "x"],
      env,
    );
    expect([policy.code, policy.stderr]).toEqual([64, expect.stringContaining("--on-child-failure")]);
    const notList = await cli(["enqueue", "synthetic", "--input", "{}", "--children", "{}"], env);
    expect([notList.code, notList.stderr]).toEqual([64, expect.stringContaining("--children")]);
  });
});
