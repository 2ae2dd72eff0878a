import { describe, expect, it } from "vitest";
import { jsonParam, timeParam, UnnestRows } from "./unnest";

interface Row {
  readonly id: string;
  readonly n: number;
  readonly data?: unknown;
}
const rows = new UnnestRows<Row>([
  { name: "id", type: "uuid", value: (r) => r.id },
  { name: "n", type: "int", value: (r) => r.n },
  { name: "data", type: "jsonb", value: (r) => jsonParam(r.data) },
]);

describe("UnnestRows", () => {
  it("names each column's parameter from the given position on", () => {
    expect(rows.from(4, "t")).toBe("unnest($4::uuid[], $5::int[], $6::jsonb[]) AS t(id, n, data)");
    expect(rows.names).toBe("id, n, data");
    expect(rows.width).toBe(3);
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
