import { fileURLToPath } from "node:url";
import { profileDir } from "./env";

/** With BENCH_PROFILE_DIR set, the environment that makes a benchmarked process write a CPU profile there. */
export function profileEnv(): Record<string, string> {
  if (profileDir === undefined) return {};
  const preload = fileURLToPath(new URL("./cpu-profile.cjs", import.meta.url));
  return { NODE_OPTIONS: `--require ${preload}`, CPU_PROFILE_DIR: profileDir };
}
