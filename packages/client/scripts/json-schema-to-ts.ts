/**
 * Turns the JSON Schemas zod emits (`z.toJSONSchema`) into TypeScript type text, so the published
 * client's `.d.ts` carries plain types: no zod, no private workspace packages. It covers what our
 * schemas use (objects, arrays, unions, enums, literals, nullable, `$ref` to named `$defs`) and
 * fails loudly on anything else rather than emitting a wrong type.
 */
export type JsonSchema = Record<string, unknown>;

export interface Emitter {
  /** Type text for `schema`; named `$defs` it references are collected into `named`. */
  convert(schema: JsonSchema): string;
  /** Named types met through `$ref` (name → type text), in the order first seen. */
  readonly named: Map<string, string>;
  /** Refers to the definition `id` by an existing type name instead of emitting it again. */
  alias(id: string, typeName: string): void;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function propertyKey(key: string): string {
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isUnknown(schema: JsonSchema): boolean {
  return Object.keys(schema).every((k) => ["description", "default", "id", "$schema", "$defs"].includes(k));
}

export function createEmitter(): Emitter {
  const named = new Map<string, string>();
  const aliases = new Map<string, string>();
  let defs: Record<string, unknown> = {};

  const refName = (ref: string): string => {
    const match = /^#\/\$defs\/(.+)$/.exec(ref);
    if (!match?.[1]) throw new Error(`unsupported $ref ${ref}`);
    const name = match[1];
    const alias = aliases.get(name);
    if (alias !== undefined) return alias;
    if (!named.has(name)) {
      const def = defs[name];
      if (!isSchema(def)) throw new Error(`$ref ${ref} names no definition`);
      named.set(name, "unknown"); // placeholder: a recursive reference resolves to the name
      named.set(name, convert(def));
    }
    return name;
  };

  const union = (parts: string[]): string => {
    const unique = [...new Set(parts)];
    return unique.length === 1
      ? (unique[0] ?? "never")
      : unique.map((p) => (p.includes("=>") ? `(${p})` : p)).join(" | ");
  };

  const objectType = (schema: JsonSchema): string => {
    const properties = isSchema(schema.properties) ? schema.properties : {};
    const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
    const lines = Object.entries(properties).map(([key, value]) => {
      if (!isSchema(value)) throw new Error(`property ${key} has no schema`);
      const optional = !required.has(key);
      const doc = typeof value.description === "string" ? `/** ${value.description} */ ` : "";
      return `${doc}\n${propertyKey(key)}${optional ? "?" : ""}: ${convert(value)};`;
    });
    const extra = schema.additionalProperties;
    if (isSchema(extra)) lines.push(`[key: string]: ${convert(extra)};`);
    else if (extra === undefined && lines.length === 0) return "Record<string, unknown>";
    return lines.length === 0 ? "Record<string, never>" : `{ ${lines.join(" ")} }`;
  };

  const convert = (schema: JsonSchema): string => {
    if (isSchema(schema.$defs)) defs = { ...defs, ...schema.$defs };
    if (typeof schema.$ref === "string") return refName(schema.$ref);
    if ("const" in schema) return JSON.stringify(schema.const);
    if (Array.isArray(schema.enum)) return union(schema.enum.map((v) => JSON.stringify(v)));
    for (const key of ["anyOf", "oneOf"] as const) {
      const options = schema[key];
      if (Array.isArray(options)) return union(options.map((o) => convert(o as JsonSchema)));
    }
    if (Array.isArray(schema.allOf)) return schema.allOf.map((o) => `(${convert(o as JsonSchema)})`).join(" & ");
    const type = schema.type;
    if (Array.isArray(type)) return union(type.map((t) => convert({ ...schema, type: t as unknown })));
    switch (type) {
      case "string":
        return "string";
      case "number":
      case "integer":
        return "number";
      case "boolean":
        return "boolean";
      case "null":
        return "null";
      case "array": {
        if (Array.isArray(schema.prefixItems))
          return `[${schema.prefixItems.map((i) => convert(i as JsonSchema)).join(", ")}]`;
        const item = isSchema(schema.items) ? convert(schema.items) : "unknown";
        return /^[\w.]+$/.test(item) ? `${item}[]` : `Array<${item}>`;
      }
      case "object":
        return objectType(schema);
      case undefined:
        if (isUnknown(schema)) return "unknown";
        break;
    }
    throw new Error(`unsupported JSON Schema: ${JSON.stringify(schema).slice(0, 200)}`);
  };

  return { convert, named, alias: (id, typeName) => aliases.set(id, typeName) };
}
