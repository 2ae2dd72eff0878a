import base from "@jobstream/eslint-config";

// Fixtures are compiled on purpose by test/build.test.ts (one must fail), not linted.
export default [...base, { ignores: ["test/fixtures/**"] }];
