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

/**
 * Starts `src/main.ts` of an app directory (as `pnpm start` does) with the given environment only;
 * `entry` names another script (the launcher's `src/start.ts`).
 */
export function startApp(appDir: string, env: Record<string, string>, entry = "src/main.ts"): AppProcess {
  const child = spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: appDir,
    env: { PATH: testEnv.path, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Long runs (benchmarks) log a lot: keep the first and the most recent output only, cheaply.
  let head = "";
  let tail: string[] = [];
  let tailSize = 0;
  const listeners = new Set<(chunk: string) => void>();
  const append = (buffer: Buffer) => {
    const chunk = buffer.toString();
    if (head.length < OUTPUT_LIMIT / 2) head += chunk;
    else {
      tail.push(chunk);
      tailSize += chunk.length;
      if (tailSize > OUTPUT_LIMIT) {
        tail = tail.slice(Math.floor(tail.length / 2));
        tailSize = tail.reduce((n, c) => n + c.length, 0);
      }
    }
    for (const listener of listeners) listener(chunk);
  };
  child.stdout.on("data", append);
  child.stderr.on("data", append);
  const text = () => head + tail.join("");
  const exit = once(child, "exit").then(([code, signal]) => (code ?? signal) as number | string);

  const withTimeout = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
    Promise.race([
      promise,
      new Promise<never>((_, reject) =>
        setTimeout(() => {
          reject(new Error(`timed out after ${ms} ms waiting for ${what}; output:\n${text()}`));
        }, ms).unref(),
      ),
    ]);

  return {
    child,
    output: text,
    exited: (timeoutMs = 20_000) => withTimeout(exit, timeoutMs, "exit"),
    kill: (signal = "SIGTERM") => {
      child.kill(signal);
    },
    waitForLog: (msg, timeoutMs = 30_000) =>
      withTimeout(
        new Promise<Record<string, unknown>>((resolve, reject) => {
          const match = (line: string): Record<string, unknown> | undefined => {
            if (!line.startsWith("{")) return undefined;
            try {
              const parsed = JSON.parse(line) as Record<string, unknown>;
              return parsed.msg === msg ? parsed : undefined;
            } catch {
              return undefined;
            }
          };
          for (const line of text().split("\n")) {
            const found = match(line);
            if (found) {
              resolve(found);
              return;
            }
          }
          // Then only new output, line by line (a line may span chunks).
          let partial = "";
          const listener = (chunk: string) => {
            const lines = (partial + chunk).split("\n");
            partial = lines.pop() ?? "";
            for (const line of lines) {
              const found = match(line);
              if (found) {
                listeners.delete(listener);
                resolve(found);
                return;
              }
            }
          };
          listeners.add(listener);
          void exit.then((code) => {
            reject(new Error(`process exited (${code}) before "${msg}"; output:\n${text()}`));
          });
        }),
        timeoutMs,
        `log "${msg}"`,
      ),
  };
}
