import { describe, expect, it } from "vitest";
import { jsonParam, timeParam, UnnestRows } from "./unnest";

interface Row {
  readonly id: string;
  readonly n: number;
  readonly data?: unknown;
}
const rows = new UnnestRows<Row>(
  `id uuid, n int,
  data jsonb`,
  (r) => [r.id, r.n, jsonParam(r.data)],
);

describe("UnnestRows", () => {
  it("names each column's parameter from the given position on", () => {
    expect(rows.from(4, "t")).toBe("unnest($4::uuid[], $5::int[], $6::jsonb[]) AS t(id, n, data)");
    expect(rows.names).toBe("id, n, data");
    expect(rows.width).toBe(3);
  });

  it("numbers the rows in a last column when asked", () => {
    expect(rows.from(1, "t", "pos")).toBe(
      "unnest($1::uuid[], $2::int[], $3::jsonb[]) WITH ORDINALITY AS t(id, n, data, pos)",
    );
  });

  it("turns rows into one array per column, in column order", () => {
    expect(
      rows.params([
        { id: "a", n: 1, data: { x: 1 } },
        { id: "b", n: 2 },
      ]),
    ).toEqual([
      ["a", "b"],
      [1, 2],
      ['{"x":1}', null],
    ]);
  });

  it("gives empty arrays for no rows, so the statement still has every parameter", () => {
    expect(rows.params([])).toEqual([[], [], []]);
  });

  it("refuses a row whose values do not match the columns", () => {
    const short = new UnnestRows<Row>("id uuid, n int", (r) => [r.id]);
    expect(() => short.params([{ id: "a", n: 1 }])).toThrow("1 values for 2 columns");
  });

  it("refuses a column without a type", () => {
    expect(() => new UnnestRows<Row>("id uuid, n", (r) => [r.id, r.n])).toThrow('column "n"');
  });
});

describe("parameter values", () => {
  it("sends an absent JSON value as SQL null and a JSON null as JSON", () => {
    expect(jsonParam(undefined)).toBeNull();
    expect(jsonParam(null)).toBe("null");
  });

  it("sends epoch milliseconds as an ISO timestamp", () => {
    expect(timeParam(0)).toBe("1970-01-01T00:00:00.000Z");
    expect(timeParam(null)).toBeNull();
  });
});
