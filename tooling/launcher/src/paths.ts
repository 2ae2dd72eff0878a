import { fileURLToPath } from "node:url";

/** Repository root; local state (embedded Postgres, dev secret) lives in `.data/` under it. */
export const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
export const dataDir = `${repoRoot}.data`;
