export interface Column {
  readonly name: string;
  readonly type: string;
}

/** Columns written as in a table definition (`"name type, …"`), checked. */
export function parseColumns(columns: string): readonly Column[] {
  return columns.split(",").map((definition) => {
    const [name = "", type = ""] = definition.trim().split(/\s+/);
    if (name === "" || type === "") throw new Error(`column "${definition.trim()}" needs a name and a type`);
    return { name, type };
  });
}

/**
 * Typed rows as the parameters of one `unnest(...)`: a statement takes a whole batch in a fixed
 * number of parameters (one array per column), whatever the number of rows. Repositories keep
 * their rows as objects up to the query; the columns (`"name type, …"`, as in a table definition)
 * and a row's values in the same order are written side by side, once.
 */
export class UnnestRows<Row> {
  private readonly columns: readonly Column[];

  constructor(
    columns: string,
    private readonly values: (row: Row) => readonly unknown[],
  ) {
    this.columns = parseColumns(columns);
  }

  /** Parameters this table takes. */
  get width(): number {
    return this.columns.length;
  }

  /** The column names, comma-separated, for an INSERT or a SELECT list. */
  get names(): string {
    return this.columns.map((c) => c.name).join(", ");
  }

  /**
   * `unnest($first::type[], …) AS alias(name, …)`; with `ordinality`, a last column of that name
   * numbers the rows from 1 in the order they were given.
   */
  from(first: number, alias: string, ordinality?: string): string {
    const params = this.columns.map((c, i) => `$${String(first + i)}::${c.type}[]`).join(", ");
    return ordinality === undefined
      ? `unnest(${params}) AS ${alias}(${this.names})`
      : `unnest(${params}) WITH ORDINALITY AS ${alias}(${this.names}, ${ordinality})`;
  }

  /** The rows as one array per column, in column order. */
  params(rows: readonly Row[]): unknown[][] {
    // Hot path (the mirror's every batch): arrays sized once and filled by index.
    const arrays = this.columns.map(() => new Array<unknown>(rows.length));
    let r = 0;
    for (const row of rows) {
      const values = this.values(row);
      if (values.length !== arrays.length)
        throw new Error(`a row gave ${String(values.length)} values for ${String(arrays.length)} columns`);
      let c = 0;
      for (const array of arrays) array[r] = values[c++];
      r++;
    }
    return arrays;
  }
}

/** JSON text for a jsonb parameter; `undefined` (absent) is SQL null, not the JSON `null`. */
export const jsonParam = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

/** Epoch milliseconds as a timestamptz parameter. */
export const timeParam = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
