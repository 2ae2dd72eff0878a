import { parseColumns, type Column } from "./unnest";

/**
 * Typed rows as one `jsonb` parameter (an array of rows, each an array of its values): for the
 * batches of many thousand rows. node-postgres turns an array parameter into text element by
 * element in JavaScript (escaping each string), which cost the mirror ≈ 5 µs of its own CPU per
 * item row at 9 columns (`UnnestRows`); one native `JSON.stringify` of the whole batch costs a
 * tenth of that, and Postgres parses it once. Same contract as `UnnestRows`: the repository keeps
 * its rows as objects and writes columns (`"name type, …"`) and a row's values side by side.
 *
 * Values by column type: `jsonb` takes `jsonValue(v)` (so an absent value stays SQL null and a
 * JSON `null` stays JSON null), `timestamptz` takes epoch milliseconds (or null), every other type
 * a JSON scalar its text form casts from.
 */
export class JsonRows<Row> {
  private readonly columns: readonly Column[];

  constructor(
    columns: string,
    private readonly values: (row: Row) => readonly unknown[],
  ) {
    this.columns = parseColumns(columns);
  }

  /** The column names, comma-separated, for an INSERT or a SELECT list. */
  get names(): string {
    return this.columns.map((c) => c.name).join(", ");
  }

  /**
   * A subquery of the rows of parameter `$param`, as `alias`; with `ordinality`, a last column of
   * that name numbers the rows from 1 in the order they were given.
   */
  from(param: number, alias: string, ordinality?: string): string {
    const list = this.columns.map((c, i) => `${JsonRows.read(c.type, i)} AS ${c.name}`);
    if (ordinality !== undefined) list.push(`e.n AS ${ordinality}`);
    // ROWS FROM zips the elements with their numbers; generate_series is there for the planner too:
    // it takes a set-returning function for 100 rows, but generate_series for as many as its
    // (constant-folded) bounds say — and at 100 the joins over a batch of 20,000 items turn into
    // nested loops (quadratic).
    const rows = `$${String(param)}::jsonb`;
    return `(SELECT ${list.join(", ")}
      FROM ROWS FROM (jsonb_array_elements(${rows}), generate_series(1, jsonb_array_length(${rows}))) AS e(r, n)) AS ${alias}`;
  }

  /** The rows as the one parameter. */
  param(rows: readonly Row[]): string {
    const width = this.columns.length;
    return JSON.stringify(
      rows.map((row) => {
        const values = this.values(row);
        if (values.length !== width)
          throw new Error(`a row gave ${String(values.length)} values for ${String(width)} columns`);
        return values;
      }),
    );
  }

  private static read(type: string, i: number): string {
    if (type === "jsonb") return `e.r->${String(i)}->0`;
    if (type === "timestamptz") return `'epoch'::timestamptz + (e.r->>${String(i)})::bigint * interval '1 millisecond'`;
    return `(e.r->>${String(i)})::${type}`;
  }
}

/**
 * A `jsonb` value of a `JsonRows` row: wrapped in an array, so that a JSON `null` stays JSON null
 * (a bare one would read as SQL null) and an absent value (`undefined`) is SQL null.
 */
export const jsonValue = (value: unknown): readonly unknown[] | null => (value === undefined ? null : [value]);
