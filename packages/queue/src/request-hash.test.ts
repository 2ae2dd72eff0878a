import { describe, expect, it } from "vitest";
import { hashEnqueueRequest } from "./request-hash";

describe("hashEnqueueRequest", () => {
  it("ignores key order and absent fields", () => {
    const a = hashEnqueueRequest({ type: "import", input: { b: 1, a: [1, { y: 2, x: 1 }] }, priority: undefined });
    const b = hashEnqueueRequest({ input: { a: [1, { x: 1, y: 2 }], b: 1 }, type: "import" });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it("tells different requests apart", () => {
    const base = hashEnqueueRequest({ type: "import", input: { a: 1 } });
    expect(hashEnqueueRequest({ type: "import", input: { a: 2 } })).not.toBe(base);
    expect(hashEnqueueRequest({ type: "import", input: { a: 1 }, priority: 5 })).not.toBe(base);
    expect(hashEnqueueRequest({ type: "import", input: [1, 2] })).not.toBe(
      hashEnqueueRequest({ type: "import", input: [2, 1] }),
    );
  });
});
