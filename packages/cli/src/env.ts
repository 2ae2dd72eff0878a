import { fileURLToPath } from "node:url";

/** Repository root when run from the repository (src/ or dist/ of packages/cli). */
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

/** What the CLI reads from the environment, read once. */
export interface CliEnv {
  /** API base URL. */
  readonly url: string;
  /** Bearer token for API commands. */
  readonly token: string | undefined;
  /** HS256 secret for `token`; unset: the development secret under `dataDir`. */
  readonly jwtSecret: string | undefined;
  readonly jwtIssuer: string | undefined;
  readonly jwtAudience: string | undefined;
  /** Where `pnpm start` keeps local state; `dev-jwt-secret` lives there. */
  readonly dataDir: string;
}

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === "" ? undefined : value;

export function loadEnv(env: NodeJS.ProcessEnv = process.env): CliEnv {
  return {
    url: nonEmpty(env.JOBSTREAM_URL) ?? "http://localhost:3000",
    token: nonEmpty(env.JOBSTREAM_TOKEN),
    jwtSecret: nonEmpty(env.JWT_SECRET),
    jwtIssuer: nonEmpty(env.JWT_ISSUER),
    jwtAudience: nonEmpty(env.JWT_AUDIENCE),
    dataDir: nonEmpty(env.JOBSTREAM_DATA_DIR) ?? `${repoRoot}.data`,
  };
}
