import { readFileSync } from "node:fs";
import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import { generatedPath, renderTypes } from "../scripts/generate-types.ts";

describe("src/generated/types.ts", () => {
  it("matches the contract and the job-type registry (else run: pnpm --filter @jobstream/client generate:types)", async () => {
    const config = await prettier.resolveConfig(generatedPath);
    const expected = await prettier.format(renderTypes(), { ...config, filepath: generatedPath });
    expect(readFileSync(generatedPath, "utf8")).toBe(expected);
  });
});
