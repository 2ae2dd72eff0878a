import { vitestConfig } from "@jobstream/vitest-config";

// Browser tests start an API, workers and Chromium: slow, and run one file at a time.
export default vitestConfig({ slow: true });
