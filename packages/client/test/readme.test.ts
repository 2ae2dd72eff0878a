import { fileURLToPath } from "node:url";
import { compileExamples, readmeExamples } from "@jobstream/testing";
import { describe, expect, it } from "vitest";

// The README's examples are what newcomers copy: they must compile against the package's sources.
describe("README examples", () => {
  it("compile against @jobstream/client", () => {
    const examples = readmeExamples("client", "ts");
    expect(examples.length).toBeGreaterThan(0);
    const result = compileExamples(examples, {
      dir: fileURLToPath(new URL("fixtures/readme", import.meta.url)),
      extension: "ts",
      imports: { "@jobstream/client": "../../../src/index.ts" },
      compilerOptions: { types: ["node"] },
    });
    expect(result.output).toBe("");
    expect(result.status).toBe(0);
  }, 60_000);
});
