import { describe, expect, it } from "vitest";
import { JsonRows, jsonValue } from "./json-rows";

interface Row {
  readonly id: string;
  readonly n: number;
  readonly data?: unknown;
  readonly at: number | null;
}
const rows = new JsonRows<Row>(`id uuid, n int, data jsonb, at timestamptz`, (r) => [
  r.id,
  r.n,
  jsonValue(r.data),
  r.at,
]);

describe("JsonRows", () => {
  it("reads each column from its position, with its type", () => {
    const from = rows.from(3, "t", "pos");
    expect(from).toContain("(e.r->>0)::uuid AS id, (e.r->>1)::int AS n, e.r->2->0 AS data");
    expect(from).toContain("'epoch'::timestamptz + (e.r->>3)::bigint * interval '1 millisecond' AS at, e.n AS pos");
    expect(from).toContain(
      "ROWS FROM (jsonb_array_elements($3::jsonb), generate_series(1, jsonb_array_length($3::jsonb)))",
    );
    expect(from.endsWith(") AS t")).toBe(true);
    expect(rows.names).toBe("id, n, data, at");
  });

  it("sends the rows as one JSON array, keeping an absent value apart from a JSON null", () => {
    expect(
      JSON.parse(
        rows.param([
          { id: "a", n: 1, data: { x: 1 }, at: 5 },
          { id: "b", n: 2, data: null, at: null },
          { id: "c", n: 3, at: 6 },
        ]),
      ),
    ).toEqual([
      ["a", 1, [{ x: 1 }], 5],
      ["b", 2, [null], null],
      ["c", 3, null, 6],
    ]);
  });
});
