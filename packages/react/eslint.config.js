import base from "@jobstream/eslint-config";
import reactHooks from "eslint-plugin-react-hooks";

export default [
  ...base,
  {
    files: ["src/**/*.ts"],
    plugins: { "react-hooks": reactHooks },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "error" },
  },
];
