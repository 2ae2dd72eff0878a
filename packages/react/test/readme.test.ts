import { fileURLToPath } from "node:url";
import { compileExamples, readmeExamples } from "@jobstream/testing";
import { describe, expect, it } from "vitest";

// The README's examples are what newcomers copy: they must compile against the packages' sources.
describe("README examples", () => {
  it("compile against @jobstream/react and @jobstream/client", () => {
    const examples = readmeExamples("react", "tsx");
    expect(examples.length).toBeGreaterThan(0);
    const result = compileExamples(examples, {
      dir: fileURLToPath(new URL("fixtures-readme", import.meta.url)),
      extension: "tsx",
      imports: { "@jobstream/react": "../../src/index.ts", "@jobstream/client": "../../../client/src/index.ts" },
      compilerOptions: { jsx: "react-jsx", lib: ["ES2023", "DOM", "DOM.Iterable"], types: [] },
    });
    expect(result.output).toBe("");
    expect(result.status).toBe(0);
  }, 60_000);
});
