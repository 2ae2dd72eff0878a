import { describe, expect, it } from "vitest";
import { describeJobTypes } from "./json-schema";
import { toFieldIssues } from "./issues";
import { enabledJobTypeNames, jobTypes, listJobKinds, resolveJobKind } from "./registry";
import { csvRowsUpperBound } from "./types/import";

const kinds = listJobKinds().map((kind) => ({ name: `${kind.type}/${kind.subtype}`, spec: kind.spec }));

describe("job type registry", () => {
  it("has the built-in kinds", () => {
    expect(kinds.map((k) => k.name).sort()).toEqual([
      "bulk/cancel",
      "bulk/delete",
      "bulk/retry",
      "import/csv",
      "maintenance/cleanup",
      "synthetic/gather",
      "synthetic/noop",
      "synthetic/work",
    ]);
  });

  describe.each(kinds)("$name", ({ spec }) => {
    it("documents accepted and rejected examples", () => {
      expect(spec.examples.input.length).toBeGreaterThan(0);
      expect(spec.examples.output.length).toBeGreaterThan(0);
      expect(spec.examples.item.length).toBeGreaterThan(0);
      expect(spec.examples.invalidInput.length).toBeGreaterThan(1);
    });

    it("accepts its documented examples", () => {
      for (const input of spec.examples.input) expect(spec.input.safeParse(input).error).toBeUndefined();
      for (const output of spec.examples.output) expect(spec.output.safeParse(output).error).toBeUndefined();
      for (const item of spec.examples.item) expect(spec.item.safeParse(item).error).toBeUndefined();
    });

    it("rejects bad input naming the field", () => {
      for (const bad of spec.examples.invalidInput) {
        const result = spec.input.safeParse(bad.value);
        expect(result.success, JSON.stringify(bad.value).slice(0, 80)).toBe(false);
        if (result.error) expect(toFieldIssues(result.error).map((i) => i.path)).toContain(bad.path);
      }
    });

    it("rejects non-objects", () => {
      for (const value of [null, 42, "x", [], undefined]) expect(spec.input.safeParse(value).success).toBe(false);
    });
  });
});

describe("synthetic/work input (fixed interface)", () => {
  const work = jobTypes.synthetic.subtypes.work.input;
  it("takes every documented field", () => {
    const input = {
      durationMs: 10,
      items: 5,
      failItems: [1],
      failAttempts: 1,
      steps: ["a"],
      output: { x: [1, "y", null] },
    };
    expect(work.parse(input)).toEqual(input);
  });
  it("rejects unknown fields by name", () => {
    const result = work.safeParse({ items: 1, itemz: 2 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain("itemz");
  });
});

describe("import/csv defaults", () => {
  it("fills delimiter, header and required", () => {
    const parsed = jobTypes.import.subtypes.csv.input.parse({
      csv: "a\n1",
      columns: [{ name: "a", type: "integer" }],
      keyColumn: "a",
    });
    expect(parsed).toEqual({
      csv: "a\n1",
      columns: [{ name: "a", type: "integer", required: false }],
      keyColumn: "a",
      delimiter: ",",
      hasHeader: true,
    });
  });
});

describe("resolveJobKind", () => {
  it("falls back to the default subtype", () => {
    const r = resolveJobKind("synthetic");
    expect(r.ok && r.kind.subtype).toBe("work");
  });
  it("names the bad field", () => {
    expect(resolveJobKind("nope")).toMatchObject({ ok: false, field: "type" });
    expect(resolveJobKind("synthetic", "nope")).toMatchObject({ ok: false, field: "subtype" });
    expect(resolveJobKind("toString")).toMatchObject({ ok: false, field: "type" });
    expect(resolveJobKind("synthetic", "constructor")).toMatchObject({ ok: false, field: "subtype" });
  });
});

describe("describeJobTypes", () => {
  it("serves JSON Schema for every kind", () => {
    const described = describeJobTypes();
    const work = described.find((t) => t.type === "synthetic")?.subtypes.find((s) => s.subtype === "work");
    expect(work?.inputSchema).toMatchObject({ type: "object", additionalProperties: false });
    expect(Object.keys((work?.inputSchema as { properties: object }).properties)).toEqual(
      expect.arrayContaining(["durationMs", "items", "failItems", "failAttempts", "steps", "output"]),
    );
    expect(described.flatMap((t) => t.subtypes)).toHaveLength(8);
  });
});

describe("who sees which type", () => {
  const names = (role: "member" | "admin" | "operator" | "service" | null, developmentTypes: boolean) =>
    describeJobTypes({ role, developmentTypes }).map((d) => d.type);

  it.each([
    ["member", false, ["import"]],
    ["admin", false, ["import"]],
    ["member", true, ["synthetic", "import"]],
    ["operator", false, ["import", "maintenance", "bulk"]],
    ["service", true, ["synthetic", "import", "maintenance", "bulk"]],
    [null, false, ["import", "maintenance", "bulk"]],
  ] as const)("%s (development types %s) sees %j", (role, developmentTypes, expected) => {
    expect(names(role, developmentTypes)).toEqual(expected);
  });

  it("answers a hidden type exactly like a name that does not exist", () => {
    const audience = { role: "member", developmentTypes: false } as const;
    const hidden = resolveJobKind("maintenance", null, audience);
    const missing = resolveJobKind("nope", null, audience);
    expect(hidden.ok || missing.ok).toBe(false);
    if (!hidden.ok && !missing.ok) {
      expect(hidden.field).toBe("type");
      expect(hidden.message.replace("maintenance", "X")).toBe(missing.message.replace("nope", "X"));
      expect(hidden.message).not.toContain("known: import, maintenance");
    }
    expect(resolveJobKind("maintenance", null, { role: "service", developmentTypes: false }).ok).toBe(true);
  });

  it("runs development types only where enabled", () => {
    expect(enabledJobTypeNames(false)).toEqual(["import", "maintenance", "bulk"]);
    expect(enabledJobTypeNames(true)).toEqual(["synthetic", "import", "maintenance", "bulk"]);
  });
});

describe("items per job", () => {
  it("bounds CSV rows by lines, never below the real count", () => {
    expect(csvRowsUpperBound("a\n1\n2\n", true)).toBe(2);
    expect(csvRowsUpperBound("a\n1\n2", true)).toBe(2);
    expect(csvRowsUpperBound("1\n2", false)).toBe(2);
    expect(csvRowsUpperBound("", true)).toBe(0);
    expect(csvRowsUpperBound('a\n"x\ny"\n', true)).toBe(2);
  });

  it("declares a maximum every kind's itemsOf is checked against", () => {
    for (const kind of listJobKinds()) {
      expect(kind.definition.limits.maxItems).toBeGreaterThan(0);
      expect(
        kind.spec.itemsOf?.(kind.spec.input.parse(kind.spec.examples.input[0])),
        `${kind.type}/${kind.subtype}`,
      ).toBeTypeOf("number");
    }
    expect(jobTypes.synthetic.subtypes.noop.itemsOf({ items: 7 })).toBe(7);
  });
});
