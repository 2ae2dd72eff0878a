import base from "@jobstream/eslint-config";
import reactHooks from "eslint-plugin-react-hooks";

export default [
  ...base,
  // The consumer fixture is compiled on purpose by test/build.test.ts, against dist/, not linted.
  { ignores: ["test/fixtures/**", "test/fixtures-readme/**"] },
  {
    files: ["src/**/*.ts"],
    plugins: { "react-hooks": reactHooks },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "error" },
  },
];
