import base from "@jobstream/eslint-config";

// bin/ holds three-line plain-JavaScript launchers outside the TypeScript project.
export default [...base, { ignores: ["bin/**"] }];
