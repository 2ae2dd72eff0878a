/** One column of rows sent to Postgres as an array: its name, its SQL type and how a row gives its value. */
export interface UnnestColumn<Row> {
  readonly name: string;
  readonly type: string;
  readonly value: (row: Row) => unknown;
}

/**
 * Typed rows as the parameters of one `unnest(...)`: a statement takes a whole batch in a fixed
 * number of parameters (one array per column), whatever the number of rows. Repositories keep
 * their rows as objects up to the query; names, types and values are listed once, here, so a
 * column cannot drift away from its parameter position.
 */
export class UnnestRows<Row> {
  constructor(private readonly columns: readonly UnnestColumn<Row>[]) {}

  /** Parameters this table takes. */
  get width(): number {
    return this.columns.length;
  }

  /** The column names, comma-separated, for an INSERT or a SELECT list. */
  get names(): string {
    return this.columns.map((c) => c.name).join(", ");
  }

  /** `unnest($first::type[], …) AS alias(name, …)`. */
  from(first: number, alias: string): string {
    const params = this.columns.map((c, i) => `$${String(first + i)}::${c.type}[]`).join(", ");
    return `unnest(${params}) AS ${alias}(${this.names})`;
  }

  /** The rows as one array per column, in column order. */
  params(rows: readonly Row[]): unknown[][] {
    return this.columns.map((column) => rows.map((row) => column.value(row)));
  }
}

/** JSON text for a jsonb parameter; `undefined` (absent) is SQL null, not the JSON `null`. */
export const jsonParam = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

/** Epoch milliseconds as a timestamptz parameter. */
export const timeParam = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
