import { describe, expect, it } from "vitest";
import { compileExamples, readmeExamples, type CompileOptions } from "./readme-examples";

/**
 * The README's examples are what newcomers copy: the `name` examples must exist and compile
 * against the workspace sources `options.imports` points at.
 */
export function describeReadmeExamples(name: string, options: CompileOptions): void {
  describe("README examples", () => {
    it(`compile against ${Object.keys(options.imports).join(" and ")}`, { timeout: 60_000 }, () => {
      const examples = readmeExamples(name, options.extension);
      expect(examples.length).toBeGreaterThan(0);
      const result = compileExamples(examples, options);
      expect(result.output).toBe("");
      expect(result.status).toBe(0);
    });
  });
}
