import { parse } from "csv-parse/sync";
import type { CsvColumnType, CsvRowErrorCode } from "@jobstream/job-types";
import type { Handler } from "../handler-map";
import { JobError } from "../job-error";

type Cell = string | number | boolean | null;

const BOOLEANS: Record<string, boolean> = { true: true, false: false, yes: true, no: false, "1": true, "0": false };

/** Normalizes one cell; returns an error code for a value the column's type rejects. */
function normalize(raw: string, type: CsvColumnType): { value: Cell } | { error: CsvRowErrorCode } {
  const text = raw.trim();
  if (text === "") return { value: null };
  switch (type) {
    case "string":
      return { value: text };
    case "integer":
      return /^[-+]?\d+$/.test(text) && Number.isSafeInteger(Number(text))
        ? { value: Number(text) }
        : { error: "invalid_integer" };
    case "number": {
      const n = Number(text);
      return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text) && Number.isFinite(n)
        ? { value: n }
        : { error: "invalid_number" };
    }
    case "boolean": {
      const b = BOOLEANS[text.toLowerCase()];
      return b === undefined ? { error: "invalid_boolean" } : { value: b };
    }
    case "date": {
      const ok = /^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(Date.parse(text));
      return ok ? { value: new Date(text).toISOString() } : { error: "invalid_date" };
    }
  }
}

/**
 * `import/csv`: parses the CSV, validates every row against the column spec and records one item
 * per row (`row-<line>`): the normalized row as after-state, or an error with a code.
 */
export const importCsv: Handler<"import", "csv"> = async (ctx) => {
  const { input } = ctx;
  ctx.step("parse");
  let records: string[][];
  try {
    records = parse(input.csv, {
      delimiter: input.delimiter,
      relax_column_count: true,
      skip_empty_lines: true,
      bom: true,
    });
  } catch (error) {
    throw new JobError("invalid_csv", (error as Error).message, { unrecoverable: true });
  }
  const names = input.columns.map((c) => c.name);
  let firstLine = 1;
  if (input.hasHeader) {
    const header = (records.shift() ?? []).map((h) => h.trim());
    firstLine = 2;
    const missing = names.filter((n) => !header.includes(n));
    if (missing.length > 0)
      throw new JobError("missing_columns", `header lacks ${missing.join(", ")}`, { unrecoverable: true });
    // The file may order its columns any way; the rest of the handler reads cells in the spec's order.
    const index = names.map((n) => header.indexOf(n));
    records = records.map((r) => index.map((i) => r[i] ?? ""));
  }
  ctx.setTotal(records.length);
  ctx.step("validate");
  const seen = new Set<string>();
  let imported = 0;
  let failed = 0;
  const keyIndex = names.indexOf(input.keyColumn);
  for (let r = 0; r < records.length; r++) {
    ctx.signal.throwIfAborted();
    const cells = records[r] ?? [];
    const item = ctx.item(`row-${r + firstLine}`);
    if (!input.hasHeader && cells.length !== names.length) {
      item.error("column_count", `expected ${names.length} cells, got ${cells.length}`);
      failed++;
      continue;
    }
    const row: Record<string, Cell> = {};
    let problem: { code: CsvRowErrorCode; column: string } | null = null;
    for (const [i, column] of input.columns.entries()) {
      const result = normalize(cells[i] ?? "", column.type);
      if ("error" in result) problem = { code: result.error, column: column.name };
      else if (result.value === null && (column.required || i === keyIndex))
        problem = { code: "missing_value", column: column.name };
      else row[column.name] = result.value;
      if (problem !== null) break;
    }
    const key = String(row[input.keyColumn] ?? "");
    if (problem === null && seen.has(key)) problem = { code: "duplicate_key", column: input.keyColumn };
    if (problem !== null) {
      const { code, column } = problem;
      item.error(code, `${column}: ${code.replace(/_/g, " ")}`);
      failed++;
      continue;
    }
    seen.add(key);
    item.success(row);
    imported++;
    if (r % 500 === 0) ctx.progress(20 + (30 * r) / Math.max(1, records.length));
  }
  ctx.step("import");
  await Promise.resolve();
  return { rows: records.length, imported, failed };
};
