import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const DEV_SECRET_FILE = "dev-jwt-secret";

/**
 * The development signing secret `pnpm start` uses: `<dataDir>/dev-jwt-secret`, created the same
 * way when missing (base64url of 32 random bytes, a newline, mode 0600) so a token minted before
 * the first start is accepted by it.
 */
export function devSecret(dataDir: string): string {
  const file = join(dataDir, DEV_SECRET_FILE);
  try {
    return readFileSync(file, "utf8").trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  try {
    // `wx`: if `pnpm start` created it meanwhile, theirs wins.
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
    return secret;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return readFileSync(file, "utf8").trim();
  }
}
