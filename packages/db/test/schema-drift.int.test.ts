import { describe, expect, it } from "vitest";
import { migrateDiff } from "../scripts/prisma6";

describe("migrations and schema.prisma", () => {
  it("agree (prisma migrate diff through a shadow database finds nothing)", () => {
    const result = migrateDiff(["--exit-code"]);
    expect(result.stderr + result.stdout).toContain("No difference detected");
    expect(result.status).toBe(0);
  });
});
