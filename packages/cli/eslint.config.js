import base from "@jobstream/eslint-config";

export default base;
