// A form generator for the JSON Schema subset the job types' inputs use (zod's `toJSONSchema` of
// an object): strings (enums, long texts), integers and numbers with bounds, booleans; anything
// else (arrays, nested objects, free JSON) is edited as JSON text.

/** One field of the form, from one property of the input's schema. */
export type SchemaField = {
  readonly name: string;
  readonly required: boolean;
  readonly description?: string;
} & (
  | { readonly kind: "text"; readonly long: boolean; readonly pattern?: string }
  | { readonly kind: "choice"; readonly options: readonly string[] }
  | { readonly kind: "number"; readonly integer: boolean; readonly min?: number; readonly max?: number }
  | { readonly kind: "boolean"; readonly default: boolean }
  | { readonly kind: "json" }
);

/** What the form holds: the text of each field, or a checkbox's state. */
export type FormValues = Record<string, string | boolean>;

type Schema = Record<string, unknown>;
const isObject = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);
const numberOr = (v: unknown) => (typeof v === "number" ? v : undefined);

/** A text longer than this is edited in a text area (a CSV file's contents). */
const LONG_TEXT = 1000;

function fieldOf(name: string, schema: Schema, required: boolean): SchemaField {
  const base = {
    name,
    required,
    ...(typeof schema.description === "string" ? { description: schema.description } : {}),
  };
  if (Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === "string"))
    return { ...base, kind: "choice", options: schema.enum };
  switch (schema.type) {
    case "string": {
      const max = numberOr(schema.maxLength);
      const pattern = typeof schema.pattern === "string" ? { pattern: schema.pattern } : {};
      return { ...base, kind: "text", long: max === undefined || max > LONG_TEXT, ...pattern };
    }
    case "integer":
    case "number": {
      const min = numberOr(schema.minimum);
      const max = numberOr(schema.maximum);
      return {
        ...base,
        kind: "number",
        integer: schema.type === "integer",
        ...(min === undefined ? {} : { min }),
        ...(max === undefined || max >= Number.MAX_SAFE_INTEGER ? {} : { max }),
      };
    }
    case "boolean":
      return { ...base, kind: "boolean", default: schema.default === true };
    default:
      return { ...base, kind: "json" };
  }
}

/** The fields of an object schema, in its properties' order; a schema of another shape is one JSON field. */
export function fieldsOf(schema: unknown): SchemaField[] {
  if (!isObject(schema) || schema.type !== "object" || !isObject(schema.properties)) return [];
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  return Object.entries(schema.properties).map(([name, property]) =>
    fieldOf(name, isObject(property) ? property : {}, required.has(name)),
  );
}

/** The form's values for an example input (or an empty form): defaults where the example is silent. */
export function valuesFrom(fields: readonly SchemaField[], example: unknown): FormValues {
  const given = isObject(example) ? example : {};
  const values: FormValues = {};
  for (const field of fields) {
    const value = given[field.name];
    if (field.kind === "boolean") values[field.name] = typeof value === "boolean" ? value : field.default;
    else if (value === undefined) values[field.name] = "";
    else if (field.kind === "json") values[field.name] = JSON.stringify(value, null, 2);
    else values[field.name] = String(value as string | number);
  }
  return values;
}

/**
 * The job's input from the form, or the fields that cannot be read (not a number, not JSON). An
 * empty optional field is left out (the type's default applies); the API checks the rest.
 */
export function inputFrom(
  fields: readonly SchemaField[],
  values: FormValues,
): { input: Record<string, unknown> } | { errors: Record<string, string> } {
  const input: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (typeof value === "boolean") {
      input[field.name] = value;
      continue;
    }
    const text = value ?? "";
    if (field.kind !== "text" && text.trim() === "") continue;
    if (field.kind === "text" && text === "" && !field.required) continue;
    if (field.kind === "number") {
      const n = Number(text);
      if (Number.isFinite(n)) input[field.name] = n;
      else errors[field.name] = "must be a number";
    } else if (field.kind === "json") {
      try {
        input[field.name] = JSON.parse(text) as unknown;
      } catch {
        errors[field.name] = 'must be JSON (e.g. [1, 2] or {"a": 1})';
      }
    } else input[field.name] = text;
  }
  return Object.keys(errors).length === 0 ? { input } : { errors };
}

/**
 * Where the API's field issues go: `input.items.0` → the `items` field; `name`, `metadata…` → those
 * form fields (keys `@name`, `@metadata`); anything else under `@`.
 */
export function issuesByField(issues: readonly { path: string; message: string }[]): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const issue of issues) {
    const [head, field] = issue.path.split(".");
    const key = head === "input" && field !== undefined ? field : `@${head ?? ""}`;
    const rest = issue.path
      .split(".")
      .slice(head === "input" ? 2 : 1)
      .join(".");
    const text = rest === "" ? issue.message : `${rest}: ${issue.message}`;
    byField[key] = byField[key] === undefined ? text : `${byField[key]}; ${text}`;
  }
  return byField;
}
