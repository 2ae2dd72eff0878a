import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

/** A bench-side process (`src/<script>` run with tsx) that has printed `ready` on stdout. */
export async function startBenchChild(script: string, args: readonly string[], ready: string): Promise<ChildProcess> {
  const dir = fileURLToPath(new URL("..", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", `src/${script}`, ...args], {
    cwd: dir,
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => {
      reject(new Error(`${script} exited (${String(code)}) before it was ready`));
    });
    child.stdout.on("data", (c: Buffer) => {
      if (c.toString().includes(ready)) resolve();
    });
  });
  return child;
}

/** SIGTERM, then waits for the exit (a process already gone counts as stopped). */
export async function stopBenchChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  await once(child, "exit");
}

export const pidsOf =
  (...children: readonly ChildProcess[]) =>
  (): number[] =>
    children.flatMap((c) => (c.pid === undefined ? [] : [c.pid]));
