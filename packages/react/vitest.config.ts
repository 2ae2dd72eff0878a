import { vitestConfig } from "@jobstream/vitest-config";

export default vitestConfig();
