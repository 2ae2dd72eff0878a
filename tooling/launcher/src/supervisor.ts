import type { ChildProcess } from "node:child_process";

export interface SupervisorOptions {
  /** First restart delay; doubles per quick successive death. @defaultValue 1000 */
  readonly minDelayMs?: number;
  /** @defaultValue 30000 */
  readonly maxDelayMs?: number;
  /** A child that ran this long before dying restarts after `minDelayMs` again. @defaultValue 60000 */
  readonly stableAfterMs?: number;
  readonly log?: (message: string) => void;
  /**
   * Exit codes after which restarting cannot help (a refused configuration): the child is not
   * restarted and `onFatal` is called instead. @defaultValue [78] (EX_CONFIG, see runMain)
   */
  readonly fatalExitCodes?: readonly number[];
  readonly onFatal?: (name: string, code: number) => void;
}

/** How long to wait before restart number `deaths` (1 = first) of a child that keeps dying. */
export function restartDelayMs(deaths: number, minMs: number, maxMs: number): number {
  return Math.min(maxMs, minMs * 2 ** Math.max(0, Math.min(deaths - 1, 20)));
}

interface Supervised {
  readonly name: string;
  readonly start: () => ChildProcess;
  child: ChildProcess | undefined;
  deaths: number;
  timer: NodeJS.Timeout | undefined;
  exited: Promise<void>;
}

/**
 * Keeps child processes running, as an orchestrator would: a child that dies is restarted after a
 * back-off (logged), while the others keep running. `stop()` ends them all and restarts none.
 */
export class Supervisor {
  private readonly children: Supervised[] = [];
  private stopping = false;
  private readonly minMs: number;
  private readonly maxMs: number;
  private readonly stableMs: number;
  private readonly log: (message: string) => void;
  private readonly fatalCodes: readonly number[];
  private readonly onFatal: (name: string, code: number) => void;

  constructor(options: SupervisorOptions = {}) {
    this.fatalCodes = options.fatalExitCodes ?? [78];
    this.onFatal = options.onFatal ?? (() => undefined);
    this.minMs = options.minDelayMs ?? 1000;
    this.maxMs = options.maxDelayMs ?? 30_000;
    this.stableMs = options.stableAfterMs ?? 60_000;
    this.log =
      options.log ??
      ((m) => {
        console.error(`launcher: ${m}`);
      });
  }

  add(name: string, start: () => ChildProcess): void {
    const entry: Supervised = { name, start, child: undefined, deaths: 0, timer: undefined, exited: Promise.resolve() };
    this.children.push(entry);
    this.launch(entry);
  }

  /** Stops restarting, sends `signal` to every running child and resolves once all have exited. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    this.stopping = true;
    for (const entry of this.children) {
      clearTimeout(entry.timer);
      if (entry.child?.exitCode === null && entry.child.signalCode === null) entry.child.kill(signal);
    }
    await Promise.all(this.children.map((e) => e.exited));
  }

  private launch(entry: Supervised): void {
    const child = entry.start();
    const startedAt = Date.now();
    entry.child = child;
    entry.exited = new Promise<void>((resolve) => {
      let gone = false;
      const onGone = (code: number | null, signal: NodeJS.Signals | null) => {
        if (gone) return;
        gone = true;
        resolve();
        if (this.stopping) return;
        if (code !== null && this.fatalCodes.includes(code)) {
          this.log(`${entry.name} refused its configuration (exit ${String(code)}); not restarting it`);
          this.onFatal(entry.name, code);
          return;
        }
        entry.deaths = Date.now() - startedAt >= this.stableMs ? 1 : entry.deaths + 1;
        const delay = restartDelayMs(entry.deaths, this.minMs, this.maxMs);
        this.log(
          `${entry.name} exited (${signal ?? `code ${String(code)}`}); restarting it in ${(delay / 1000).toFixed(1)} s`,
        );
        entry.timer = setTimeout(() => {
          if (!this.stopping) this.launch(entry);
        }, delay);
      };
      child.once("exit", onGone);
      // A child that cannot even be spawned reports `error` and no `exit`.
      child.once("error", (error) => {
        if (child.pid === undefined) {
          this.log(`${entry.name} could not start: ${error.message}`);
          onGone(null, null);
        }
      });
    });
  }
}
