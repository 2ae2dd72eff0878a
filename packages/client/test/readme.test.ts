import { fileURLToPath } from "node:url";
import { describeReadmeExamples } from "@jobstream/testing/fixtures";

describeReadmeExamples("client", {
  dir: fileURLToPath(new URL("fixtures/readme", import.meta.url)),
  extension: "ts",
  imports: { "@jobstream/client": "../../../src/index.ts" },
  compilerOptions: { types: ["node"] },
});
