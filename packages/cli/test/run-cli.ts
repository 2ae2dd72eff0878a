import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const devBin = fileURLToPath(new URL("../bin/dev.js", import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Environment of the spawned commands: PATH and HOME only, plus what the test passes. */
function baseEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", ...extra };
  if (process.env.HOME !== undefined) env.HOME = process.env.HOME;
  return env;
}

/** Runs a command to its end with piped stdio (so stdout is not a TTY). */
export function run(
  command: string,
  args: string[],
  options: { env?: Record<string, string>; input?: string; cwd?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? repoRoot,
      env: baseEnv(options.env ?? {}),
      stdio: "pipe",
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? "");
  });
}

/** `jobstream <args>` from the sources, as `pnpm jobstream` runs it. */
export function cli(args: string[], env: Record<string, string>, input?: string): Promise<CliResult> {
  return run(process.execPath, [devBin, ...args], { env, ...(input === undefined ? {} : { input }) });
}

/** `jobstream <args>` with stdout on a pseudo-terminal (util-linux `script`), as a user sees it. */
export function cliOnTerminal(args: string[], env: Record<string, string>): Promise<CliResult> {
  const command = [process.execPath, devBin, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
  return run("script", ["-qec", command, "/dev/null"], { env: { ...env, TERM: "xterm", COLUMNS: "100" } });
}
