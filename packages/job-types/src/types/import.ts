import { z } from "zod";
import { defineJobType, EVERY_ROLE } from "../define-job-type";

/** Largest CSV text accepted in one job (characters). */
export const CSV_MAX_LENGTH = 1_000_000;

/** Rows one import job may hold. */
export const IMPORT_MAX_ROWS = 100_000;

/**
 * An upper bound of the data rows in a CSV text: its line count (minus the header). Quoted
 * fields with line breaks make it overcount, never undercount, so it is safe to refuse over it.
 */
export function csvRowsUpperBound(csv: string, hasHeader: boolean): number {
  let lines = csv.length === 0 ? 0 : 1;
  for (let i = csv.indexOf("\n"); i !== -1; i = csv.indexOf("\n", i + 1)) if (i < csv.length - 1) lines++;
  return Math.max(0, lines - (hasHeader ? 1 : 0));
}

export const csvColumnTypeSchema = z.enum(["string", "integer", "number", "boolean", "date"]);
export type CsvColumnType = z.infer<typeof csvColumnTypeSchema>;

const columnName = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an identifier (letters, digits, _)");

const csvColumnSchema = z
  .object({
    name: columnName,
    type: csvColumnTypeSchema,
    /** An empty cell in a required column makes the row an error. */
    required: z.boolean().default(false),
  })
  .strict();

const csvInput = z
  .object({
    /** The CSV text. The first line is a header naming the columns unless `hasHeader` is false. */
    csv: z.string().max(CSV_MAX_LENGTH),
    columns: z.array(csvColumnSchema).min(1).max(200),
    /** Column that identifies the entity of a row; rows with a duplicate key are errors. */
    keyColumn: columnName,
    delimiter: z.enum([",", ";", "\t", "|"]).default(","),
    hasHeader: z.boolean().default(true),
  })
  .strict()
  .superRefine((input, ctx) => {
    const names = input.columns.map((c) => c.name);
    if (!names.includes(input.keyColumn)) {
      ctx.addIssue({ code: "custom", path: ["keyColumn"], message: "must name one of the columns" });
    }
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) {
        ctx.addIssue({ code: "custom", path: ["columns", i, "name"], message: "duplicate column name" });
      }
    });
  });

const csvOutput = z
  .object({
    rows: z.number().int().min(0),
    imported: z.number().int().min(0),
    failed: z.number().int().min(0),
  })
  .strict();

/** After-state of an imported row: the normalized values by column name. */
const csvItem = z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]));

/** Error codes an import reports on a bad row. */
export const csvRowErrorCodes = [
  "missing_value",
  "invalid_integer",
  "invalid_number",
  "invalid_boolean",
  "invalid_date",
  "duplicate_key",
  "column_count",
] as const;
export type CsvRowErrorCode = (typeof csvRowErrorCodes)[number];

export const importJobType = defineJobType({
  type: "import",
  description: "Imports records from a file into the product's storage, one item per record.",
  defaultSubtype: "csv",
  enqueueRoles: EVERY_ROLE,
  limits: { maxItems: IMPORT_MAX_ROWS },
  defaults: {
    attempts: 3,
    backoff: { type: "exponential", delayMs: 1000 },
    priority: 50,
    concurrency: 4,
    timeoutMs: 900_000,
    retentionSeconds: 30 * 86_400,
  },
  subtypes: {
    csv: {
      description:
        "Parses CSV text with a typed column spec. Each row becomes an item `row-<line>`: " +
        "the normalized row as after-state, or an error with a code.",
      input: csvInput,
      itemsOf: (input: z.output<typeof csvInput>) => csvRowsUpperBound(input.csv, input.hasHeader),
      output: csvOutput,
      item: csvItem,
      steps: [
        { name: "parse", weight: 20 },
        { name: "validate", weight: 30 },
        { name: "import", weight: 50 },
      ],
      examples: {
        input: [
          {
            csv: "sku,name,price,active\nA-1,Chair,19.90,true\nA-2,Table,,false\n",
            columns: [
              { name: "sku", type: "string", required: true },
              { name: "name", type: "string" },
              { name: "price", type: "number" },
              { name: "active", type: "boolean" },
            ],
            keyColumn: "sku",
          },
        ],
        output: [{ rows: 2, imported: 2, failed: 0 }],
        item: [{ sku: "A-1", name: "Chair", price: 19.9, active: true }],
        invalidInput: [
          { value: { csv: "a\n1", columns: [{ name: "a", type: "string" }], keyColumn: "b" }, path: "keyColumn" },
          { value: { csv: "a\n1", columns: [{ name: "a", type: "uuid" }], keyColumn: "a" }, path: "columns.0.type" },
          { value: { csv: "a\n1", columns: [], keyColumn: "a" }, path: "columns" },
          { value: { columns: [{ name: "a", type: "string" }], keyColumn: "a" }, path: "csv" },
          {
            value: { csv: "x".repeat(CSV_MAX_LENGTH + 1), columns: [{ name: "a", type: "string" }], keyColumn: "a" },
            path: "csv",
          },
          {
            value: {
              csv: "a\n1",
              columns: [
                { name: "a", type: "string" },
                { name: "a", type: "integer" },
              ],
              keyColumn: "a",
            },
            path: "columns.1.name",
          },
        ],
      },
    },
  },
});
