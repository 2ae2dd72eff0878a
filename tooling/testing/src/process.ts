import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { testEnv } from "./env";

export interface AppProcess {
  readonly child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the first parsed JSON log line whose `msg` equals `msg`. */
  waitForLog(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves with the exit code (or signal name) once the process ended. */
  exited(timeoutMs?: number): Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
}

const OUTPUT_LIMIT = 4_000_000;

/** Starts `src/main.ts` of an app directory (as `pnpm start` does) with the given environment only. */
export function startApp(appDir: string, env: Record<string, string>): AppProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: appDir,
    env: { PATH: testEnv.path, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  // Long runs (benchmarks) log a lot: keep the start and the most recent output only.
  const append = (chunk: Buffer) => {
    text += chunk.toString();
    if (text.length > OUTPUT_LIMIT) text = text.slice(0, OUTPUT_LIMIT / 2) + text.slice(-OUTPUT_LIMIT / 2);
  };
  child.stdout.on("data", append);
  child.stderr.on("data", append);
  const exit = once(child, "exit").then(([code, signal]) => (code ?? signal) as number | string);

  const withTimeout = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
    Promise.race([
      promise,
      new Promise<never>((_, reject) =>
        setTimeout(() => { reject(new Error(`timed out after ${ms} ms waiting for ${what}; output:\n${text}`)); }, ms).unref(),
      ),
    ]);

  return {
    child,
    output: () => text,
    exited: (timeoutMs = 20_000) => withTimeout(exit, timeoutMs, "exit"),
    kill: (signal = "SIGTERM") => { child.kill(signal); },
    waitForLog: (msg, timeoutMs = 30_000) =>
      withTimeout(
        new Promise<Record<string, unknown>>((resolve, reject) => {
          const scan = () => {
            for (const line of text.split("\n")) {
              if (!line.startsWith("{")) continue;
              try {
                const parsed = JSON.parse(line) as Record<string, unknown>;
                if (parsed.msg === msg) { resolve(parsed); return true; }
              } catch { /* a partial line; wait for more */ }
            }
            return false;
          };
          if (scan()) return;
          const onData = () => { if (scan()) { child.stdout.off("data", onData); } };
          child.stdout.on("data", onData);
          void exit.then((code) => { reject(new Error(`process exited (${code}) before "${msg}"; output:\n${text}`)); });
        }),
        timeoutMs,
        `log "${msg}"`,
      ),
  };
}
