import { fileURLToPath } from "node:url";
import { describeReadmeExamples } from "@jobstream/testing/fixtures";

// The examples import both packages; each is rewritten to its sources.
describeReadmeExamples("react", {
  compilerOptions: { jsx: "react-jsx", lib: ["ES2023", "DOM", "DOM.Iterable"], types: [] },
  imports: { "@jobstream/react": "../../src/index.ts", "@jobstream/client": "../../../client/src/index.ts" },
  extension: "tsx",
  dir: fileURLToPath(new URL("fixtures-readme", import.meta.url)),
});
