import { describe, expect, it } from "vitest";
import { fieldsOf, inputFrom, issuesByField, valuesFrom } from "./schema-fields";

// The shapes zod's toJSONSchema gives the job types' inputs (import/csv, synthetic/work, maintenance).
const schema = {
  type: "object",
  properties: {
    csv: { type: "string", maxLength: 1_000_000 },
    keyColumn: { type: "string", minLength: 1, maxLength: 100, pattern: "^[A-Za-z_]+$" },
    delimiter: { default: ",", type: "string", enum: [",", ";", "\t", "|"] },
    items: { type: "integer", minimum: 0, maximum: 100_000 },
    failItems: { type: "array", items: { type: "integer", minimum: 0, maximum: 9007199254740991 } },
    dryRun: { default: false, type: "boolean" },
    output: { $ref: "#/$defs/JsonValue" },
  },
  required: ["csv", "keyColumn"],
};

describe("fieldsOf", () => {
  it("maps each property to a field kind", () => {
    expect(fieldsOf(schema)).toEqual([
      { name: "csv", required: true, kind: "text", long: true },
      { name: "keyColumn", required: true, kind: "text", long: false, pattern: "^[A-Za-z_]+$" },
      { name: "delimiter", required: false, kind: "choice", options: [",", ";", "\t", "|"] },
      { name: "items", required: false, kind: "number", integer: true, min: 0, max: 100_000 },
      { name: "failItems", required: false, kind: "json" },
      { name: "dryRun", required: false, kind: "boolean", default: false },
      { name: "output", required: false, kind: "json" },
    ]);
  });
  it("has no fields for a schema that is not an object", () => {
    expect(fieldsOf({ type: "string" })).toEqual([]);
    expect(fieldsOf(null)).toEqual([]);
  });
});

describe("valuesFrom and inputFrom", () => {
  const fields = fieldsOf(schema);
  it("prefills from an example and reads the same input back", () => {
    const example = { csv: "a\n1", keyColumn: "a", items: 5, failItems: [1, 2], dryRun: true, output: { x: 1 } };
    const values = valuesFrom(fields, example);
    expect(values.items).toBe("5");
    expect(values.dryRun).toBe(true);
    expect(values.delimiter).toBe("");
    expect(inputFrom(fields, values)).toEqual({ input: example });
  });
  it("leaves empty optional fields out and names the fields it cannot read", () => {
    const values = { ...valuesFrom(fields, {}), csv: "", keyColumn: "k" };
    expect(inputFrom(fields, values)).toEqual({ input: { csv: "", keyColumn: "k", dryRun: false } });
    expect(inputFrom(fields, { ...values, items: "ten", failItems: "[1," })).toEqual({
      errors: { items: "must be a number", failItems: 'must be JSON (e.g. [1, 2] or {"a": 1})' },
    });
  });
});

describe("issuesByField", () => {
  it("puts input issues on their field and the rest on the job's fields", () => {
    expect(
      issuesByField([
        { path: "input.failItems.1", message: "too small" },
        { path: "input.items", message: "expected number" },
        { path: "input", message: "unrecognized key" },
        { path: "name", message: "too long" },
      ]),
    ).toEqual({
      failItems: "1: too small",
      items: "expected number",
      "@input": "unrecognized key",
      "@name": "too long",
    });
  });
});
